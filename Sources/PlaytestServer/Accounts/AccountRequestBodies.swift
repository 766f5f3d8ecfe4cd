import PlaytestCore
import Vapor

/// `POST /auth/login` and `POST /setup`'s e-mail and password.
struct CredentialsBody: AccountBody {
    typealias Keys = CodingKeys
    var email: String
    var password: String
    /// `POST /setup` only: the token `serve` logged, needed unless the request comes from this machine.
    var setupToken: String?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case email, password
        case setupToken = "setup_token"
    }
    static func validations(_ validations: inout Validations) {
        validations.add("email", as: String.self, is: .count(3...254))
        validations.add("password", as: String.self, is: .count(1...200))
    }
}

/// `POST /auth/refresh` and `POST /auth/logout`.
struct RefreshBody: AccountBody {
    typealias Keys = CodingKeys
    var refreshToken: String
    enum CodingKeys: String, CodingKey, CaseIterable { case refreshToken = "refresh_token" }
    static func validations(_ validations: inout Validations) {
        validations.add("refresh_token", as: String.self, is: .count(1...200))
    }
}

/// `POST /auth/register` and `POST /users` (an admin's invitation, with a role).
struct NewUserBody: AccountBody {
    typealias Keys = CodingKeys
    var email: String
    var password: String
    var fullName: String?
    var role: Role?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case email, password, role
        case fullName = "full_name"
    }
    static func validations(_ validations: inout Validations) {
        validations.add("email", as: String.self, is: .count(3...254))
        validations.add("password", as: String.self, is: .count(8...72))
    }
}

/// `PATCH /users/{id}`: the role, and whether the account is active.
struct UserChangeBody: AccountBody {
    typealias Keys = CodingKeys
    var role: Role?
    var isActive: Bool?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case role
        case isActive = "is_active"
    }
    static func validations(_ validations: inout Validations) {}
}

/// `POST /api-keys`.
struct NewKeyBody: AccountBody {
    typealias Keys = CodingKeys
    var name: String
    var expiresInDays: Int?
    /// Admins only: the user the key acts as (default: yourself).
    var userID: String?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case expiresInDays = "expires_in_days"
        case userID = "user_id"
    }
    static func validations(_ validations: inout Validations) {
        validations.add("name", as: String.self, is: .count(1...100))
        validations.add("expires_in_days", as: Int?.self, is: .nil || .range(1...3650), required: false)
    }
}

/// A request body whose keys are its coding keys, no others.
protocol AccountBody: Content, Validatable {
    associatedtype Keys: CodingKey & CaseIterable
}

extension RequestBody {
    /// A validated account body; unknown keys are refused.
    static func decode<T: AccountBody>(_ type: T.Type, _ request: Request) throws -> T {
        try decode(type, request, allowed: Set(T.Keys.allCases.map(\.stringValue)))
    }
}
