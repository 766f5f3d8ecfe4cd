/// A slow, salted password hash (bcrypt in the server, Vapor's). The services never see a password hashed any other way.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
}

/// For processes that never check a password (the worker, service tests): every call is refused with a reason.
public struct NoPasswordHasher: PasswordHasher {
    public init() {}
    public func hash(_ password: String) async throws -> String { throw AccountError.invalid("this process cannot hash passwords") }
    public func verify(_ password: String, against hash: String) async throws -> Bool { throw AccountError.invalid("this process cannot check passwords") }
}
