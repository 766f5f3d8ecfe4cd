import Foundation
import PlaytestCore
import PlaytestStorage

/// A user as clients see it: never the password hash.
public struct UserView: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var fullName: String?
    public var role: Role
    public var isActive: Bool
    public var lastLogin: Date?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, role
        case fullName = "full_name"
        case isActive = "is_active"
        case lastLogin = "last_login"
        case createdAt = "created_at"
    }

    init(_ record: UserRecord) {
        id = record.id
        email = record.email
        fullName = record.fullName
        role = record.role
        isActive = record.isActive
        lastLogin = record.lastLogin
        createdAt = record.createdAt
    }
}

public struct UserList: Codable, Sendable {
    public var users: [UserView]
}

/// An API key as listed: its visible prefix, never the key.
public struct APIKeyView: Codable, Sendable, Equatable {
    public var id: String
    public var userID: String
    public var name: String
    public var prefix: String
    public var lastUsed: Date?
    public var expiresAt: Date?
    public var isActive: Bool
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case userID = "user_id"
        case lastUsed = "last_used"
        case expiresAt = "expires_at"
        case isActive = "is_active"
        case createdAt = "created_at"
    }

    init(_ record: APIKeyRecord) {
        id = record.id
        userID = record.userID
        name = record.name
        prefix = record.prefix
        lastUsed = record.lastUsed
        expiresAt = record.expiresAt
        isActive = record.isActive
        createdAt = record.createdAt
    }
}

public struct APIKeyList: Codable, Sendable {
    public var apiKeys: [APIKeyView]
    enum CodingKeys: String, CodingKey { case apiKeys = "api_keys" }
}

/// A new key: `key` is shown this once and never again.
public struct CreatedAPIKey: Codable, Sendable {
    public var key: String
    public var apiKey: APIKeyView
    enum CodingKeys: String, CodingKey {
        case key
        case apiKey = "api_key"
    }
}

/// The answer to a sign-in or a refresh.
public struct TokenPair: Codable, Sendable {
    public var accessToken: String
    public var tokenType = "Bearer"
    /// Seconds the access token lives.
    public var expiresIn: Int
    public var refreshToken: String
    public var user: UserView

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
    }
}

/// A browser's new session: the cookie value and the CSRF token its pages carry.
public struct BrowserSession: Sendable {
    public var cookie: String
    public var csrfToken: String
    public var expiresAt: Date
    public var user: UserView
}

/// What to do with a deleted user's maps and runs.
public enum OwnedWork: Sendable, Equatable {
    case delete
    case reassign(toUserID: String)
}

/// An audit log entry as clients see it.
public struct AuditEntryView: Codable, Sendable {
    public var at: Date
    public var action: String
    public var actorID: String?
    public var actorEmail: String?
    public var target: String?
    public var ip: String?
    public var detail: String

    init(_ entry: AuditEntry) {
        at = entry.at
        action = entry.action
        actorID = entry.actorID
        actorEmail = entry.actorEmail
        target = entry.target
        ip = entry.ip
        detail = entry.detail
    }

    enum CodingKeys: String, CodingKey {
        case at, action, target, ip, detail
        case actorID = "actor_id"
        case actorEmail = "actor_email"
    }
}

public struct AuditLogView: Codable, Sendable {
    public var entries: [AuditEntryView]
}
