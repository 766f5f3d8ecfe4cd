import Foundation
import PlaytestCore
import PlaytestStorage

/// Signing in and out: programs get an access token and a rotating refresh token, browsers a session cookie.
extension Accounts {
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

    func issueTokens(for user: UserRecord, family: String) async throws -> TokenPair {
        let refresh = SecretToken.make(prefix: "ptr_")
        try await sessions.insertRefreshToken(
            id: UUID().uuidString.lowercased(), userID: user.id, hash: SecretToken.hash(refresh), family: family,
            expiresAt: Date().addingTimeInterval(Self.refreshLifetime))
        let access = try await signing.tokens().issue(userID: user.id, role: user.role)
        return TokenPair(accessToken: access.token, expiresIn: Int(AccessTokens.lifetime), refreshToken: refresh, user: UserView(user))
    }
}
