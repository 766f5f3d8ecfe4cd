import Foundation
import SQLKit

/// What a browser session or refresh token resolves to.
public struct StoredSession: Sendable {
    public var id: String
    public var user: UserRecord
    public var expiresAt: Date
    /// Browser sessions: the token unsafe requests must echo. Refresh tokens: nil.
    public var csrfToken: String?
    /// Refresh tokens: the rotation family and whether this one was already used.
    public var family: String?
    public var revoked: Bool
}

/// `browser_sessions` (the HttpOnly cookie) and `refresh_tokens` (programs): long-lived, revocable credentials
/// stored as SHA-256 hashes.
public struct SessionStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    // MARK: browser sessions

    public func insertBrowserSession(id: String, userID: String, hash: String, csrfToken: String, expiresAt: Date) async throws {
        try await sql.sql.raw("""
            INSERT INTO browser_sessions (id, user_id, token_hash, csrf_token, expires_at, created_at)
            VALUES (\(bind: id), \(bind: userID), \(bind: hash), \(bind: csrfToken), \(bind: expiresAt), \(bind: Date()))
            """).run()
    }

    public func browserSession(hash: String) async throws -> StoredSession? {
        guard let row = try await sql.sql.raw("""
            SELECT s.id AS s_id, s.expires_at AS s_expires_at, s.csrf_token AS s_csrf_token, \(unsafeRaw: UserRecord.joinedColumns)
            FROM browser_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: hash)
            """).first() else { return nil }
        return StoredSession(
            id: try row.decode(column: "s_id", as: String.self), user: try UserRecord(row: PrefixedRow(row: row, prefix: "u_")),
            expiresAt: try row.decode(column: "s_expires_at", as: Date.self), csrfToken: try row.decode(column: "s_csrf_token", as: String.self),
            family: nil, revoked: false)
    }

    public func deleteBrowserSession(id: String) async throws {
        try await sql.sql.raw("DELETE FROM browser_sessions WHERE id = \(bind: id)").run()
    }

    // MARK: refresh tokens

    public func insertRefreshToken(id: String, userID: String, hash: String, family: String, expiresAt: Date) async throws {
        try await sql.sql.raw("""
            INSERT INTO refresh_tokens (id, user_id, token_hash, family, expires_at, created_at)
            VALUES (\(bind: id), \(bind: userID), \(bind: hash), \(bind: family), \(bind: expiresAt), \(bind: Date()))
            """).run()
    }

    public func refreshToken(hash: String) async throws -> StoredSession? {
        guard let row = try await sql.sql.raw("""
            SELECT r.id AS r_id, r.expires_at AS r_expires_at, r.family AS r_family, r.revoked_at AS r_revoked_at, \(unsafeRaw: UserRecord.joinedColumns)
            FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE r.token_hash = \(bind: hash)
            """).first() else { return nil }
        return StoredSession(
            id: try row.decode(column: "r_id", as: String.self), user: try UserRecord(row: PrefixedRow(row: row, prefix: "u_")),
            expiresAt: try row.decode(column: "r_expires_at", as: Date.self), csrfToken: nil,
            family: try row.decode(column: "r_family", as: String.self), revoked: try row.decode(column: "r_revoked_at", as: Date?.self) != nil)
    }

    /// Marks one token used; false when it already was (two refreshes raced, or a stolen copy came back).
    public func revokeRefreshToken(id: String) async throws -> Bool {
        !(try await sql.sql.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """).all()).isEmpty
    }

    /// Revokes every token of a rotation family (sign-out, or a reused token).
    public func revokeFamily(_ family: String) async throws {
        try await sql.sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE family = \(bind: family) AND revoked_at IS NULL").run()
    }

}
