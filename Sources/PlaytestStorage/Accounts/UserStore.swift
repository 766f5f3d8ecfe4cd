import Foundation
import PlaytestCore
import SQLKit

/// A row of `users`. `passwordHash` never leaves the services.
public struct UserRecord: Sendable, Equatable {
    public var id: String
    public var email: String
    public var passwordHash: String
    public var fullName: String?
    public var role: Role
    public var isActive: Bool
    public var lastLogin: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), email: String, passwordHash: String, fullName: String? = nil,
        role: Role, isActive: Bool = true, lastLogin: Date? = nil, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.fullName = fullName
        self.role = role
        self.isActive = isActive
        self.lastLogin = lastLogin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    static let columns = "id, email, password_hash, full_name, role, is_active, last_login, created_at, updated_at"
    /// The columns of `users u` aliased `u_…`, to sit beside another table's in one row (read with `PrefixedRow`).
    static let joinedColumns = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .map { "u.\($0) AS u_\($0)" }.joined(separator: ", ")

    init(row: any SQLRow) throws {
        let role = try row.decode(column: "role", as: String.self)
        self.init(
            id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            fullName: try row.decode(column: "full_name", as: String?.self), role: Role(rawValue: role) ?? .viewer,
            isActive: try row.decode(column: "is_active", as: Bool.self), lastLogin: try row.decode(column: "last_login", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}

/// The `users` table. E-mail addresses arrive here already normalised (trimmed, lower-cased) by the services.
public struct UserStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    /// Inserts the user; false when the e-mail address is taken.
    public func insert(_ user: UserRecord) async throws -> Bool {
        let rows = try await sql.sql.raw("""
            INSERT INTO users (id, email, password_hash, full_name, role, is_active, created_at, updated_at)
            VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.passwordHash), \(bind: user.fullName), \(bind: user.role.rawValue),
                    \(bind: user.isActive), \(bind: user.createdAt), \(bind: user.updatedAt))
            ON CONFLICT (email) DO NOTHING RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func user(id: String) async throws -> UserRecord? {
        try await sql.sql.raw("SELECT \(unsafeRaw: UserRecord.columns) FROM users WHERE id = \(bind: id)").first().map(UserRecord.init(row:))
    }

    public func user(email: String) async throws -> UserRecord? {
        try await sql.sql.raw("""
            SELECT \(unsafeRaw: UserRecord.columns) FROM users WHERE email = \(bind: email) AND \(unsafeRaw: Self.people)
            """).first().map(UserRecord.init(row:))
    }

    /// Every user, by e-mail address (agents' player identities are not users anyone manages).
    public func all(limit: Int = 1000) async throws -> [UserRecord] {
        try await sql.sql.raw("""
            SELECT \(unsafeRaw: UserRecord.columns) FROM users WHERE \(unsafeRaw: Self.people) ORDER BY email LIMIT \(bind: limit)
            """).all().map(UserRecord.init(row:))
    }

    public func count() async throws -> Int {
        try await sql.sql.raw("SELECT COUNT(*) AS n FROM users WHERE \(unsafeRaw: Self.people)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: agents as players

    /// The id prefix of the users agents are recorded as players through (docs/player-progress.md): inactive, no
    /// usable password, found by no e-mail lookup, listed nowhere, counted by no setup check.
    public static let agentPrefix = "agent:"
    private static let people = "id NOT LIKE 'agent:%'"

    /// The user id the agent named `agent` plays as, made on first use.
    public func ensureAgentUser(_ agent: String) async throws -> String {
        let id = Self.agentPrefix + agent
        try await sql.sql.raw("""
            INSERT INTO users (id, email, password_hash, full_name, role, is_active, created_at, updated_at)
            VALUES (\(bind: id), \(bind: "\(agent)@agents.playtest.invalid"), '!', \(bind: "agent \(agent)"), 'viewer', \(bind: false),
                \(bind: Date()), \(bind: Date()))
            ON CONFLICT DO NOTHING
            """).run()
        return id
    }

    /// E-mail addresses of these users (for showing owners).
    public func emails(ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.sql.raw("SELECT id, email FROM users WHERE id IN (\(binds: Array(Set(ids))))").all()
        var emails: [String: String] = [:]
        for row in rows { emails[try row.decode(column: "id", as: String.self)] = try row.decode(column: "email", as: String.self) }
        return emails
    }

    /// Changes the role; false when there is no such user.
    public func setRole(id: String, _ role: Role) async throws -> Bool {
        try await update(id: id, "role = \(bind: role.rawValue)")
    }

    /// Enables or disables the user; disabling also ends every session and refresh token at once.
    public func setActive(id: String, _ active: Bool) async throws -> Bool {
        guard try await update(id: id, "is_active = \(bind: active)") else { return false }
        if !active {
            try await sql.sql.raw("DELETE FROM browser_sessions WHERE user_id = \(bind: id)").run()
            try await sql.sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run()
        }
        return true
    }

    public func recordLogin(id: String, at date: Date = Date()) async throws {
        try await sql.sql.raw("UPDATE users SET last_login = \(bind: date) WHERE id = \(bind: id)").run()
    }

    /// Deletes the user with their keys, tokens and sessions. Their maps and runs are either handed to `heir`
    /// or deleted first by the services; whatever is left keeps a NULL owner.
    public func delete(id: String, reassignTo heir: String?) async throws -> Bool {
        try await sql.transaction { database in
            guard let sql = database as? any SQLDatabase else { return false }
            if let heir {
                try await sql.raw("UPDATE maps SET created_by = \(bind: heir) WHERE created_by = \(bind: id)").run()
                try await sql.raw("UPDATE runs SET created_by = \(bind: heir) WHERE created_by = \(bind: id)").run()
            }
            return !(try await sql.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").all()).isEmpty
        }
    }

    private func update(id: String, _ assignment: SQLQueryString) async throws -> Bool {
        let rows = try await sql.sql.raw("UPDATE users SET " + assignment + ", updated_at = \(bind: Date()) WHERE id = \(bind: id) RETURNING id").all()
        return !rows.isEmpty
    }
}
