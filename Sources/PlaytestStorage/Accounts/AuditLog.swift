import Foundation
import SQLKit

/// One entry of the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var action: String
    public var actorID: String?
    public var actorEmail: String?
    public var target: String?
    public var ip: String?
    public var detail: String

    public init(at: Date = Date(), action: String, actorID: String?, actorEmail: String?, target: String?, ip: String?, detail: String = "") {
        self.at = at
        self.action = action
        self.actorID = actorID
        self.actorEmail = actorEmail
        self.target = target
        self.ip = ip
        self.detail = detail
    }
}

/// `audit_log`: append-only; sign-ins, failed sign-ins, keys, roles and deletions.
public struct AuditLog: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    public func append(_ entry: AuditEntry) async throws {
        try await sql.sql.raw("""
            INSERT INTO audit_log (at, action, actor_id, actor_email, target, ip, detail)
            VALUES (\(bind: entry.at), \(bind: entry.action), \(bind: entry.actorID), \(bind: entry.actorEmail), \(bind: entry.target),
                    \(bind: entry.ip), \(bind: entry.detail))
            """).run()
    }

    /// A deleted user's e-mail address leaves the log: as actor, as target and in the details it is replaced by
    /// `deleted user {id}` (in one transaction), so the entries still say what was done, when and from where, but no longer by whom.
    public func forget(userID: String, email: String) async throws {
        let pseudonym = "deleted user \(userID)"
        try await sql.transaction { database in
            let sql = try RunColumnTypes(database).sql
            try await sql.raw("UPDATE audit_log SET actor_email = NULL WHERE actor_id = \(bind: userID) OR actor_email = \(bind: email)").run()
            try await sql.raw("UPDATE audit_log SET target = \(bind: pseudonym) WHERE target = \(bind: email)").run()
            try await sql.raw("""
                UPDATE audit_log SET detail = REPLACE(detail, \(bind: email), \(bind: pseudonym)) WHERE detail LIKE \(bind: "%" + email + "%")
                """).run()
        }
    }

    /// The newest entries first.
    public func recent(limit: Int) async throws -> [AuditEntry] {
        try await sql.sql.raw("SELECT at, action, actor_id, actor_email, target, ip, detail FROM audit_log ORDER BY id DESC LIMIT \(bind: limit)")
            .all().map { row in
                AuditEntry(
                    at: try row.decode(column: "at", as: Date.self), action: try row.decode(column: "action", as: String.self),
                    actorID: try row.decode(column: "actor_id", as: String?.self), actorEmail: try row.decode(column: "actor_email", as: String?.self),
                    target: try row.decode(column: "target", as: String?.self), ip: try row.decode(column: "ip", as: String?.self),
                    detail: try row.decode(column: "detail", as: String.self))
            }
    }
}

/// `server_secrets`: values every `serve` instance must share, such as the token-signing key when none is configured.
public struct ServerSecrets: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    /// The stored value of `name`, storing `make()` first when there is none; concurrent first calls agree.
    public func value(_ name: String, orStore make: () -> String) async throws -> String {
        try await sql.sql.raw("INSERT INTO server_secrets (name, value) VALUES (\(bind: name), \(bind: make())) ON CONFLICT (name) DO NOTHING").run()
        guard let value = try await sql.sql.raw("SELECT value FROM server_secrets WHERE name = \(bind: name)").first()?
            .decode(column: "value", as: String.self) else { throw StorageError.missingRow("server_secrets \(name)") }
        return value
    }
}
