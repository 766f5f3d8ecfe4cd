import Foundation
import PlaytestCore
import PlaytestStorage

/// Who a request's credentials belong to: an API key, an access token or a session cookie.
extension Accounts {
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
            found.key.lastUsed = now
            cache.store(apiKey: hash, found)
            // "Last used" (to the minute) is for the key's owner to read, not for this request: it is written beside
            // the request, so no read waits on a synced write.
            let (keys, logger, id) = (keys, logger, found.key.id)
            Task {
                do { try await keys.touch(id: id, at: now) } catch { logger.debug("recording an API key's last use failed", metadata: ["error": "\(Services.describe(error))"]) }
            }
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
}
