import Foundation
import SQLKit

/// A row of `api_keys`: the key itself is never stored, only its SHA-256 and a visible prefix.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var prefix: String
    public var name: String
    public var lastUsed: Date?
    public var expiresAt: Date?
    public var isActive: Bool
    public var createdAt: Date

    public init(id: String, userID: String, prefix: String, name: String, lastUsed: Date?, expiresAt: Date?, isActive: Bool, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.prefix = prefix
        self.name = name
        self.lastUsed = lastUsed
        self.expiresAt = expiresAt
        self.isActive = isActive
        self.createdAt = createdAt
    }

    static let columns = "k.id, k.user_id, k.prefix, k.name, k.last_used, k.expires_at, k.is_active, k.created_at"

    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
            prefix: try row.decode(column: "prefix", as: String.self), name: try row.decode(column: "name", as: String.self),
            lastUsed: try row.decode(column: "last_used", as: Date?.self), expiresAt: try row.decode(column: "expires_at", as: Date?.self),
            isActive: try row.decode(column: "is_active", as: Bool.self), createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}

/// The `api_keys` table.
public struct APIKeyStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    public func insert(_ key: APIKeyRecord, hash: String) async throws {
        try await sql.sql.raw("""
            INSERT INTO api_keys (id, user_id, key_hash, prefix, name, expires_at, is_active, created_at)
            VALUES (\(bind: key.id), \(bind: key.userID), \(bind: hash), \(bind: key.prefix), \(bind: key.name), \(bind: key.expiresAt),
                    \(bind: key.isActive), \(bind: key.createdAt))
            """).run()
    }

    /// The key with this hash and its owner, in one query (every request with `X-API-Key` asks it).
    public func key(hash: String) async throws -> (key: APIKeyRecord, user: UserRecord)? {
        guard let row = try await sql.sql.raw("""
            SELECT \(unsafeRaw: APIKeyRecord.columns), \(unsafeRaw: UserRecord.joinedColumns)
            FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = \(bind: hash)
            """).first() else { return nil }
        return (try APIKeyRecord(row: row), try UserRecord(row: PrefixedRow(row: row, prefix: "u_")))
    }

    /// A user's keys, newest first (`nil`: everyone's).
    public func keys(userID: String?) async throws -> [APIKeyRecord] {
        let filter: SQLQueryString = userID.map { "WHERE k.user_id = \(bind: $0)" } ?? ""
        return try await sql.sql.raw("SELECT \(unsafeRaw: APIKeyRecord.columns) FROM api_keys k " + filter + " ORDER BY k.created_at DESC")
            .all().map(APIKeyRecord.init(row:))
    }

    public func key(id: String) async throws -> APIKeyRecord? {
        try await sql.sql.raw("SELECT \(unsafeRaw: APIKeyRecord.columns) FROM api_keys k WHERE k.id = \(bind: id)").first().map(APIKeyRecord.init(row:))
    }

    /// Revokes the key for good; false when there is no such key.
    public func revoke(id: String) async throws -> Bool {
        !(try await sql.sql.raw("UPDATE api_keys SET is_active = \(bind: false) WHERE id = \(bind: id) RETURNING id").all()).isEmpty
    }

    /// Notes a use. The callers write at most once a minute per key, so a busy key does not write on every request.
    public func touch(id: String, at date: Date) async throws {
        try await sql.sql.raw("UPDATE api_keys SET last_used = \(bind: date) WHERE id = \(bind: id)").run()
    }
}

/// A row read through a column-name prefix (a joined table's columns aliased `u_…`).
struct PrefixedRow: SQLRow {
    let row: any SQLRow
    let prefix: String

    var allColumns: [String] { row.allColumns.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
    func contains(column: String) -> Bool { row.contains(column: prefix + column) }
    func decodeNil(column: String) throws -> Bool { try row.decodeNil(column: prefix + column) }
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D { try row.decode(column: prefix + column, as: type) }
}
