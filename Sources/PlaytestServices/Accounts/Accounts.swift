import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Users, sign-in, tokens, API keys and the audit log: every change to an account goes through here.
public struct Accounts: Sendable {
    let users: UserStore
    let keys: APIKeyStore
    let sessions: SessionStore
    let audit: AuditLog
    let hasher: any PasswordHasher
    let signing: SigningKey
    let limits: RateLimits
    let settings: AccessSettings
    let cleanup: OwnedWorkCleanup
    /// A deleted user's player progress goes with them: SQL by cascade, Redis here.
    let players: PlayerProgress
    let cache: CredentialCache
    let decoy = DecoyHash()
    let logger: Logger

    static let refreshLifetime: TimeInterval = 30 * 24 * 3600
    static let sessionLifetime: TimeInterval = 7 * 24 * 3600

    init(engines: PlaytestEngines, hasher: any PasswordHasher, limits: RateLimits, library: MapLibrary, players: PlayerProgress, logger: Logger) {
        self.players = players
        self.logger = logger
        cache = CredentialCache(live: engines.live, logger: logger)
        users = UserStore(sql: engines.sql)
        keys = APIKeyStore(sql: engines.sql)
        sessions = SessionStore(sql: engines.sql)
        audit = AuditLog(sql: engines.sql)
        self.hasher = hasher
        settings = engines.configuration.access
        signing = SigningKey(configured: settings.jwtSecret, secrets: ServerSecrets(sql: engines.sql))
        self.limits = limits
        cleanup = OwnedWorkCleanup(engines: engines, library: library)
    }

    // MARK: users

    /// True until the first user exists: the pages then offer "create the administrator".
    public func needsSetup() async throws -> Bool { try await users.count() == 0 }

    /// Creates the first administrator; refused once any user exists.
    public func createFirstAdmin(email: String, password: String, ip: String?) async throws -> UserView {
        guard try await needsSetup() else { throw AccountError.conflict("this instance already has users; sign in instead") }
        return try await insertUser(email: email, password: password, fullName: nil, role: .admin, actor: nil, ip: ip, action: "setup.admin")
    }

    /// The administrator of `PLAYTEST_ADMIN_EMAIL`/`PLAYTEST_ADMIN_PASSWORD`, created when no user has that address.
    public func ensureConfiguredAdmin() async throws {
        guard let admin = settings.admin, try await users.user(email: try Self.normalized(email: admin.email)) == nil else { return }
        do {
            _ = try await insertUser(email: admin.email, password: admin.password, fullName: nil, role: .admin, actor: nil, ip: nil, action: "setup.environment")
        } catch {
            // Servers starting together race to create it: the one that lost finds it there.
            if try await users.user(email: try Self.normalized(email: admin.email)) != nil { return }
            throw error
        }
    }

    /// An admin invites a user with a first password.
    public func createUser(email: String, password: String, fullName: String?, role: Role, by actor: Principal, ip: String?) async throws -> UserView {
        try actor.require(.admin, to: "creating users")
        return try await insertUser(email: email, password: password, fullName: fullName, role: role, actor: actor, ip: ip, action: "user.create")
    }

    /// Self-service sign-up, only when `PLAYTEST_OPEN_SIGNUP=1`; the new account is a `user`.
    public func register(email: String, password: String, fullName: String?, ip: String?) async throws -> UserView {
        guard settings.openSignup else { throw AccountError.forbidden("sign-up is closed on this instance; ask an administrator for an invitation") }
        return try await insertUser(email: email, password: password, fullName: fullName, role: .user, actor: nil, ip: ip, action: "user.register")
    }

    public func user(id: String, by actor: Principal) async throws -> UserView {
        guard actor.role == .admin || actor.userID == id else { throw AccountError.forbidden("only an admin may read other users") }
        guard let user = try await users.user(id: id) else { throw AccountError.notFound("no user has id \(id)") }
        return UserView(user)
    }

    public func list(by actor: Principal) async throws -> UserList {
        try actor.require(.admin, to: "listing users")
        return UserList(users: try await users.all().map(UserView.init))
    }

    public func setRole(userID: String, to role: Role, by actor: Principal, ip: String?) async throws -> UserView {
        try actor.require(.admin, to: "changing roles")
        let user = try await existingUser(userID)
        if user.role == .admin, role != .admin { try await requireAnotherAdmin(than: user) }
        _ = try await users.setRole(id: userID, role)
        await cache.changed()
        try await record("user.role", actor: actor, target: user.email, ip: ip, detail: "\(user.role.rawValue) → \(role.rawValue)")
        return UserView(try await existingUser(userID))
    }

    /// Disabling ends the user's sessions and refresh tokens, and their access tokens and keys stop working at once.
    public func setActive(userID: String, _ active: Bool, by actor: Principal, ip: String?) async throws -> UserView {
        try actor.require(.admin, to: "disabling users")
        let user = try await existingUser(userID)
        if !active, user.role == .admin { try await requireAnotherAdmin(than: user) }
        _ = try await users.setActive(id: userID, active)
        await cache.changed()
        try await record(active ? "user.enable" : "user.disable", actor: actor, target: user.email, ip: ip)
        return UserView(try await existingUser(userID))
    }

    /// Deletes the user; their maps and runs are deleted or handed to another user, as the admin chose.
    public func delete(userID: String, work: OwnedWork, by actor: Principal, ip: String?) async throws {
        try actor.require(.admin, to: "deleting users")
        let user = try await existingUser(userID)
        if user.role == .admin { try await requireAnotherAdmin(than: user) }
        var heir: String?
        switch work {
        case .delete:
            let removed = try await cleanup.deleteWork(of: userID)
            try await record("user.delete", actor: actor, target: user.email, ip: ip, detail: "deleted \(removed.maps) maps and \(removed.runs) runs")
        case .reassign(let to):
            guard to != userID else { throw AccountError.invalid("reassign the work to another user than the one being deleted") }
            let target = try await existingUser(to)
            guard target.role != .viewer else { throw AccountError.invalid("\(target.email) is a viewer and cannot own maps and runs") }
            heir = to
            try await record("user.delete", actor: actor, target: user.email, ip: ip, detail: "maps and runs reassigned to \(target.email)")
        }
        // The progress first: its rows, what the analytics counted of them, and the Redis keys.
        try await players.erase(userID: userID)
        _ = try await users.delete(id: userID, reassignTo: heir)
        try await audit.forget(userID: userID, email: user.email)
        await cache.changed()
    }

    // MARK: audit

    public func auditLog(limit: Int, by actor: Principal) async throws -> AuditLogView {
        try actor.require(.admin, to: "reading the audit log")
        return AuditLogView(entries: try await audit.recent(limit: limit).map(AuditEntryView.init))
    }

    // MARK: helpers

    func insertUser(
        email: String, password: String, fullName: String?, role: Role, actor: Principal?, ip: String?, action: String
    ) async throws -> UserView {
        let address = try Self.normalized(email: email)
        try Self.validate(password: password)
        let name = fullName?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name, name.count > 255 { throw AccountError.invalid("full_name must be at most 255 characters") }
        let user = UserRecord(email: address, passwordHash: try await hasher.hash(password), fullName: name?.isEmpty == true ? nil : name, role: role)
        guard try await users.insert(user) else { throw AccountError.conflict("a user with the e-mail address \(address) already exists") }
        try await record(action, actorID: actor?.userID, actorEmail: actor?.email ?? address, target: address, ip: ip, detail: role.rawValue)
        return UserView(user)
    }

    func existingUser(_ id: String) async throws -> UserRecord {
        guard let user = try await users.user(id: id) else { throw AccountError.notFound("no user has id \(id)") }
        return user
    }

    /// An instance never loses its last active administrator.
    func requireAnotherAdmin(than user: UserRecord) async throws {
        let others = try await users.all().filter { $0.role == .admin && $0.isActive && $0.id != user.id }
        guard !others.isEmpty else { throw AccountError.conflict("\(user.email) is the last active administrator; make another one first") }
    }

    func record(_ action: String, actor: Principal, target: String?, ip: String?, detail: String = "") async throws {
        try await record(action, actorID: actor.userID, actorEmail: actor.email, target: target, ip: ip, detail: detail)
    }

    func record(_ action: String, actorID: String?, actorEmail: String?, target: String?, ip: String?, detail: String = "") async throws {
        try await audit.append(AuditEntry(action: action, actorID: actorID, actorEmail: actorEmail, target: target, ip: ip, detail: detail))
    }

    /// Trimmed and lower-cased, so addresses are unique regardless of case.
    static func normalized(email: String) throws(AccountError) -> String {
        let address = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !address.contains(where: \.isWhitespace) else {
            throw AccountError.invalid("\(email.debugDescription) is not an e-mail address")
        }
        return address
    }

    /// 8 to 72 bytes: bcrypt reads no further than 72.
    static func validate(password: String) throws(AccountError) {
        guard password.count >= 8 else { throw AccountError.invalid("a password needs at least 8 characters") }
        guard password.utf8.count <= 72 else { throw AccountError.invalid("a password may have at most 72 bytes") }
    }
}
