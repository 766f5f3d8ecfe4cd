import FluentKit
import SQLKit

/// How far a database's schema is: the number of `PlaytestMigrations.all()` that have run on it, against the
/// number this binary has.
public struct SchemaVersion: Sendable, Hashable {
    /// Migrations of this binary that have run, in order (0: an empty database).
    public var found: Int
    /// Migrations this binary has.
    public var needed: Int
    /// Migrations recorded in the database that this binary does not know (a newer binary ran them).
    public var unknown: [String]

    public var isCurrent: Bool { found == needed && unknown.isEmpty }
}

/// A database `serve` and `worker` cannot use as it is.
public enum SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    case behind(found: Int, needed: Int)
    case ahead(found: Int, needed: Int, unknown: [String])

    public var description: String {
        switch self {
        case .behind(let found, let needed):
            let state = found == 0 ? "has no Playtest schema (version 0)" : "schema is at version \(found)"
            return "the database \(state); this playtest needs schema version \(needed). Run `playtest migrate` with the same DATABASE_URL, then start again."
        case .ahead(let found, let needed, let unknown):
            return "the database schema (version \(found + unknown.count)) is newer than this playtest (version \(needed)): it has migrations this binary does not know (\(unknown.joined(separator: ", "))). Run a playtest at least as new as the one that migrated it."
        }
    }
}

extension SQLEngine {
    static let migrationsTable = "_fluent_migrations"

    /// Reads which migrations have run; an empty database is version 0.
    public func schemaVersion() async throws -> SchemaVersion {
        let names = PlaytestMigrations.all().map(\.name)
        guard try await hasTable(Self.migrationsTable) else { return SchemaVersion(found: 0, needed: names.count, unknown: []) }
        let applied = Set(try await sql.raw("SELECT name FROM \(ident: Self.migrationsTable)").all().map { try $0.decode(column: "name", as: String.self) })
        let found = names.prefix { applied.contains($0) }.count
        return SchemaVersion(found: found, needed: names.count, unknown: applied.subtracting(names).sorted())
    }

    /// Throws ``SchemaError`` unless the schema is exactly this binary's.
    public func requireCurrentSchema() async throws {
        let version = try await schemaVersion()
        if !version.unknown.isEmpty {
            throw SchemaError.ahead(found: version.found, needed: version.needed, unknown: version.unknown)
        }
        if version.found < version.needed { throw SchemaError.behind(found: version.found, needed: version.needed) }
    }

    private func hasTable(_ name: String) async throws -> Bool {
        switch dialect {
        case .sqlite:
            return try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
        case .postgres:
            let row = try await sql.raw("SELECT to_regclass(\(bind: name))::text AS found").first()
            return try row?.decode(column: "found", as: String?.self) != nil
        }
    }
}
