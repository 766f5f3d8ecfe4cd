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
    let cache: CredentialCache
    let decoy = DecoyHash()

    static let refreshLifetime: TimeInterval = 30 * 24 * 3600
    static let sessionLifetime: TimeInterval = 7 * 24 * 3600

    init(engines: PlaytestEngines, hasher: any PasswordHasher, limits: RateLimits, library: MapLibrary, logger: Logger) {
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
        _ = try await insertUser(email: admin.email, password: admin.password, fullName: nil, role: .admin, actor: nil, ip: nil, action: "setup.environment")
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
        _ = try await users.delete(id: userID, reassignTo: heir)
        await cache.changed()
    }

    // MARK: sign-in

    /// Checks an e-mail address and password, throttled per account and per address. Unknown addresses cost the
    /// same bcrypt time as known ones, and every failure gives the same error.
    func verifyCredentials(email: String, password: String, ip: String?) async throws -> UserRecord {
        let address = (try? Self.normalized(email: email)) ?? email.lowercased()
        try await limits.admitSignIn(account: address, ip: ip)
        let user = try await users.user(email: address)
        let stored: String
        if let user { stored = user.passwordHash } else { stored = try await decoy.hash(with: hasher) }
        let matches = try await hasher.verify(password, against: stored)
        guard let user, matches, user.isActive else {
            try await record("signin.failed", actorID: user?.id, actorEmail: address, target: nil, ip: ip)
            throw AccountError.invalidCredentials
        }
        try await users.recordLogin(id: user.id)
        try await record("signin", actorID: user.id, actorEmail: user.email, target: nil, ip: ip)
        return user
    }

    /// Signs a program in: an access token and a rotating refresh token.
    public func signIn(email: String, password: String, ip: String?) async throws -> TokenPair {
        let user = try await verifyCredentials(email: email, password: password, ip: ip)
        return try await issueTokens(for: user, family: UUID().uuidString.lowercased())
    }

    /// Trades a refresh token for a new pair. A token is good once: presenting a used one again revokes its whole
    /// family, so a stolen copy dies with the original.
    public func refresh(_ token: String, ip: String?) async throws -> TokenPair {
        guard let stored = try await sessions.refreshToken(hash: SecretToken.hash(token)), let family = stored.family else {
            throw AccountError.unauthenticated("the refresh token is not valid")
        }
        guard !stored.revoked, try await sessions.revokeRefreshToken(id: stored.id) else {
            try await sessions.revokeFamily(family)
            try await record("refresh.reuse", actorID: stored.user.id, actorEmail: stored.user.email, target: nil, ip: ip)
            throw AccountError.unauthenticated("the refresh token was already used; sign in again")
        }
        guard stored.expiresAt > Date(), stored.user.isActive else { throw AccountError.unauthenticated("the refresh token has expired; sign in again") }
        return try await issueTokens(for: stored.user, family: family)
    }

    /// Ends a program's sign-in: the refresh token and every token rotated from it.
    public func signOut(refreshToken token: String) async throws {
        if let family = try await sessions.refreshToken(hash: SecretToken.hash(token))?.family { try await sessions.revokeFamily(family) }
    }

    /// Signs a browser in: a session cookie and the CSRF token its pages carry.
    public func signInBrowser(email: String, password: String, ip: String?) async throws -> BrowserSession {
        try await startBrowserSession(for: try await verifyCredentials(email: email, password: password, ip: ip))
    }

    func startBrowserSession(for user: UserRecord) async throws -> BrowserSession {
        let cookie = SecretToken.make(prefix: "pts_")
        let csrf = SecretToken.make(prefix: "")
        let expiresAt = Date().addingTimeInterval(Self.sessionLifetime)
        try await sessions.insertBrowserSession(
            id: UUID().uuidString.lowercased(), userID: user.id, hash: SecretToken.hash(cookie), csrfToken: csrf, expiresAt: expiresAt)
        return BrowserSession(cookie: cookie, csrfToken: csrf, expiresAt: expiresAt, user: UserView(user))
    }

    public func endBrowserSession(id: String) async throws {
        try await sessions.deleteBrowserSession(id: id)
    }

    // MARK: authentication

    /// The principal of an `X-API-Key`.
    public func authenticate(apiKey: String) async throws -> Principal {
        let hash = SecretToken.hash(apiKey)
        var found = cache.apiKey(hash: hash)
        if found == nil {
            found = try await keys.key(hash: hash)
            if let found { cache.store(apiKey: hash, found) }
        }
        guard var found else { throw AccountError.unauthenticated("the API key is not valid") }
        guard found.key.isActive else { throw AccountError.unauthenticated("the API key was revoked") }
        let now = Date()
        if let expiry = found.key.expiresAt, expiry <= now { throw AccountError.unauthenticated("the API key has expired") }
        guard found.user.isActive else { throw AccountError.unauthenticated("the account of this API key is disabled") }
        if found.key.lastUsed.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await keys.touch(id: found.key.id, at: now)
            found.key.lastUsed = now
            cache.store(apiKey: hash, found)
        }
        return Principal(userID: found.user.id, email: found.user.email, role: found.user.role, credential: .apiKey(id: found.key.id))
    }

    /// The principal of a bearer access token; the role and the active flag come from the database, not the token.
    public func authenticate(accessToken: String) async throws -> Principal {
        guard let userID = await signing.tokens().userID(of: accessToken) else {
            throw AccountError.unauthenticated("the access token is not valid or has expired")
        }
        var user = cache.user(id: userID)
        if user == nil {
            user = try await users.user(id: userID)
            if let user { cache.store(user: user) }
        }
        guard let user, user.isActive else { throw AccountError.unauthenticated("the account is disabled") }
        return Principal(userID: user.id, email: user.email, role: user.role, credential: .accessToken)
    }

    /// The principal of a session cookie; nil when the session is unknown, expired or its user disabled.
    public func authenticate(sessionCookie: String) async throws -> Principal? {
        guard let stored = try await sessions.browserSession(hash: SecretToken.hash(sessionCookie)), let csrf = stored.csrfToken,
              stored.expiresAt > Date(), stored.user.isActive else { return nil }
        return Principal(userID: stored.user.id, email: stored.user.email, role: stored.user.role, credential: .browserSession(id: stored.id, csrfToken: csrf))
    }

    /// Whether a presented secret (a CSRF token, the metrics token) is the expected one, compared in constant time.
    public static func secretsMatch(_ presented: String?, _ expected: String) -> Bool {
        presented.map { SecretToken.equal($0, expected) } ?? false
    }

    // MARK: API keys

    /// A new key for `userID` (default: the actor). The key is in the answer once and stored only as its SHA-256.
    public func createKey(name: String, expiresInDays: Int?, for userID: String? = nil, by actor: Principal, ip: String?) async throws -> CreatedAPIKey {
        let owner = userID ?? actor.userID
        guard let owner else { throw AccountError.invalid("the local command line needs --user to create a key") }
        guard actor.role == .admin || owner == actor.userID else { throw AccountError.forbidden("only an admin may create keys for other users") }
        let user = try await existingUser(owner)
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else { throw AccountError.invalid("a key's name must be 1 to 100 characters") }
        if let days = expiresInDays, !(1...3650).contains(days) { throw AccountError.invalid("expires_in_days must be in 1...3650") }
        let visible = String(SecretToken.make(prefix: "").prefix(8)).replacingOccurrences(of: "-", with: "x").replacingOccurrences(of: "_", with: "y")
        let key = "pt_\(visible)_" + SecretToken.make(prefix: "")
        let stored = APIKeyRecord(
            id: UUID().uuidString.lowercased(), userID: user.id, prefix: "pt_\(visible)", name: trimmed, lastUsed: nil,
            expiresAt: expiresInDays.map { Date().addingTimeInterval(Double($0) * 86400) }, isActive: true, createdAt: Date())
        try await keys.insert(stored, hash: SecretToken.hash(key))
        try await record("apikey.create", actor: actor, target: "\(stored.prefix) of \(user.email)", ip: ip, detail: trimmed)
        return CreatedAPIKey(key: key, apiKey: APIKeyView(stored))
    }

    /// The actor's keys, or with `everyone` (admins) every user's.
    public func keys(everyone: Bool = false, by actor: Principal) async throws -> APIKeyList {
        if everyone { try actor.require(.admin, to: "listing other users' keys") }
        return APIKeyList(apiKeys: try await keys.keys(userID: everyone ? nil : actor.userID).map(APIKeyView.init))
    }

    public func revokeKey(id: String, by actor: Principal, ip: String?) async throws {
        guard let key = try await keys.key(id: id) else { throw AccountError.notFound("no API key has id \(id)") }
        guard actor.role == .admin || key.userID == actor.userID else { throw AccountError.forbidden("only an admin may revoke other users' keys") }
        _ = try await keys.revoke(id: id)
        await cache.changed()
        try await record("apikey.revoke", actor: actor, target: key.prefix, ip: ip, detail: key.name)
    }

    // MARK: audit

    public func auditLog(limit: Int, by actor: Principal) async throws -> AuditLogView {
        try actor.require(.admin, to: "reading the audit log")
        return AuditLogView(entries: try await audit.recent(limit: limit).map(AuditEntryView.init))
    }

    // MARK: helpers

    private func issueTokens(for user: UserRecord, family: String) async throws -> TokenPair {
        let refresh = SecretToken.make(prefix: "ptr_")
        try await sessions.insertRefreshToken(
            id: UUID().uuidString.lowercased(), userID: user.id, hash: SecretToken.hash(refresh), family: family,
            expiresAt: Date().addingTimeInterval(Self.refreshLifetime))
        let access = try await signing.tokens().issue(userID: user.id, role: user.role)
        return TokenPair(accessToken: access.token, expiresIn: Int(AccessTokens.lifetime), refreshToken: refresh, user: UserView(user))
    }

    private func insertUser(
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

    private func existingUser(_ id: String) async throws -> UserRecord {
        guard let user = try await users.user(id: id) else { throw AccountError.notFound("no user has id \(id)") }
        return user
    }

    /// An instance never loses its last active administrator.
    private func requireAnotherAdmin(than user: UserRecord) async throws {
        let others = try await users.all().filter { $0.role == .admin && $0.isActive && $0.id != user.id }
        guard !others.isEmpty else { throw AccountError.conflict("\(user.email) is the last active administrator; make another one first") }
    }

    private func record(_ action: String, actor: Principal, target: String?, ip: String?, detail: String = "") async throws {
        try await record(action, actorID: actor.userID, actorEmail: actor.email, target: target, ip: ip, detail: detail)
    }

    private func record(_ action: String, actorID: String?, actorEmail: String?, target: String?, ip: String?, detail: String = "") async throws {
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

/// A hash of a random password at the configured cost, checked when the address is unknown so both cost the same.
actor DecoyHash {
    private var made: String?

    func hash(with hasher: any PasswordHasher) async throws -> String {
        if let made { return made }
        let hash = try await hasher.hash(SecretToken.make(prefix: ""))
        made = hash
        return hash
    }
}

/// The token-signing key: `PLAYTEST_JWT_SECRET`, or one generated once and shared by every `serve` through SQL.
actor SigningKey {
    let configured: String?
    let secrets: ServerSecrets
    var loaded: AccessTokens?

    init(configured: String?, secrets: ServerSecrets) {
        self.configured = configured
        self.secrets = secrets
    }

    func tokens() async -> AccessTokens {
        if let loaded { return loaded }
        var secret = configured
        if secret == nil { secret = try? await secrets.value("jwt_hs256", orStore: { SecretToken.make(prefix: "") }) }
        guard let secret else {
            // SQL unreachable: a throwaway key that verifies nothing issued elsewhere, not kept, so the next call retries.
            return await AccessTokens(secret: SecretToken.make(prefix: ""))
        }
        let tokens = await AccessTokens(secret: secret)
        loaded = tokens
        return tokens
    }
}
