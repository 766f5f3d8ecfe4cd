import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// The `maps` table: one row per distinct WAD file (sha256), with its maps' summaries.
public struct MapStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    /// The row of this id. Every map and run page reads it: plain SQL, `MapRecord(row:prefix:)`.
    public func record(id: UUID) async throws -> MapRecord? {
        let row = try await sql.sql.raw("SELECT \(unsafeRaw: MapRecord.selectList(prefix: "")) FROM maps WHERE maps.id = \(bind: id)").first()
        return try row.map { try MapRecord(row: $0, prefix: "") }
    }

    public func record(sha256: String) async throws -> MapRecord? {
        try await MapRecord.query(on: sql.database).filter(\.$sha256 == sha256).first()
    }

    /// Stores a new row. Returns the row that holds the file afterwards: this one, or the one an identical upload
    /// stored first (the sha256 is unique), with `created` telling which.
    public func insert(_ record: MapRecord) async throws -> (record: MapRecord, created: Bool) {
        do {
            try await record.create(on: sql.database)
            return (record, true)
        } catch {
            if let existing = try await self.record(sha256: record.sha256) { return (existing, false) }
            throw error
        }
    }

    /// A page of the library: uploads newest first, then the built-in maps, optionally filtered by a
    /// case-insensitive name substring.
    public func list(nameContains: String?, offset: Int, limit: Int) async throws -> (records: [MapRecord], total: Int) {
        // Plain SQL, `MapRecord(row:prefix:)`: the library page reads a hundred rows on every view.
        var filter = SQLQueryString("")
        if let name = nameContains?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            filter = " WHERE maps.name \(unsafeRaw: sql.dialect == .postgres ? "ILIKE" : "LIKE") \(bind: "%\(Self.escapeLike(name))%")"
        }
        let total = try await sql.sql.raw("SELECT COUNT(*) AS n FROM maps" + filter).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.sql.raw("SELECT \(unsafeRaw: MapRecord.selectList(prefix: "")) FROM maps" + filter
            + " ORDER BY maps.builtin ASC, maps.uploaded_at DESC, maps.name ASC LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        return (try rows.map { try MapRecord(row: $0, prefix: "") }, total)
    }

    /// Every upload with this name, newest first: the versions of one map.
    public func versions(named name: String, limit: Int = 20) async throws -> [MapRecord] {
        let rows = try await sql.sql.raw("""
            SELECT \(unsafeRaw: MapRecord.selectList(prefix: "")) FROM maps WHERE maps.name = \(bind: name) AND maps.builtin = \(bind: false)
            ORDER BY maps.uploaded_at DESC LIMIT \(bind: limit)
            """).all()
        return try rows.map { try MapRecord(row: $0, prefix: "") }
    }

    /// The id (lower case) of the newest upload of each name (a built-in map is its own only version).
    public func latestIDs(named names: [String]) async throws -> [String: String] {
        guard !names.isEmpty else { return [:] }
        let rows = try await sql.sql.raw("""
            SELECT id, name FROM maps WHERE name IN (\(binds: names)) ORDER BY builtin ASC, uploaded_at DESC
            """).all()
        var newest: [String: String] = [:]
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            if newest[name] == nil { newest[name] = try row.decode(column: "id", as: UUID.self).uuidString.lowercased() }
        }
        return newest
    }

    /// The newest upload with this name (a built-in map is its own only version).
    public func latest(named name: String) async throws -> MapRecord? {
        try await sql.sql.raw("""
            SELECT \(unsafeRaw: MapRecord.selectList(prefix: "")) FROM maps WHERE maps.name = \(bind: name)
            ORDER BY maps.builtin ASC, maps.uploaded_at DESC LIMIT 1
            """).first().map { try MapRecord(row: $0, prefix: "") }
    }

    /// Every map's id and name, by name (at most `limit`).
    public func names(limit: Int) async throws -> [(id: UUID, name: String)] {
        try await MapRecord.query(on: sql.database).field(\.$id).field(\.$name).sort(\.$name).limit(limit).all()
            .compactMap { record in record.id.map { ($0, record.name) } }
    }

    /// The scenario `.cfg` names of the built-in scenario maps.
    public func scenarios() async throws -> [String] {
        try await MapRecord.query(on: sql.database).filter(\.$scenario != nil).field(\.$scenario).all().compactMap(\.scenario)
    }

    /// Training and testing runs per map.
    public func runCounts(mapIDs: [UUID]) async throws -> [UUID: (training: Int, testing: Int)] {
        guard !mapIDs.isEmpty else { return [:] }
        let rows = try await sql.sql.raw("""
            SELECT map_id, kind, COUNT(*) AS n FROM runs WHERE map_id IN (\(binds: mapIDs)) GROUP BY map_id, kind
            """).all()
        var counts: [UUID: (training: Int, testing: Int)] = [:]
        for row in rows {
            let id = try row.decode(column: "map_id", as: UUID.self)
            let n = try row.decode(column: "n", as: Int.self)
            var count = counts[id] ?? (0, 0)
            if try row.decode(column: "kind", as: String.self) == RunKind.training.rawValue { count.training += n } else { count.testing += n }
            counts[id] = count
        }
        return counts
    }

    /// Runs on the map that are pending, running or stopping.
    public func activeRunCount(mapID: UUID) async throws -> Int {
        try await RunRecord.query(on: sql.database).filter(\.$map.$id == mapID).filter(\.$status ~~ RunStatus.active).count()
    }

    /// Deletes the row and the map's runs (with every row they own) in one transaction; with the last version of its
    /// name, its findings go too.
    public func delete(id: UUID) async throws {
        try await sql.transaction { database in
            let name = try await MapRecord.find(id, on: database)?.name
            try await RunRecord.query(on: database).filter(\.$map.$id == id).delete()
            try await MapRecord.query(on: database).filter(\.$id == id).delete()
            let sql = try RunColumnTypes(database).sql
            // The map's own leaderboards (their records cascade).
            try await sql.raw("DELETE FROM leaderboards WHERE map_id = \(bind: id.uuidString.lowercased())").run()
            if let name {
                if try await sql.raw("SELECT 1 AS one FROM maps WHERE name = \(bind: name)").first() == nil {
                    // The last version: its findings go, and their counts leave the counts over every map.
                    try await sql.raw("""
                        UPDATE finding_counts SET n = n - COALESCE((SELECT SUM(c.n) FROM finding_counts c WHERE c.map_name = \(bind: name)
                            AND c.kind = finding_counts.kind AND c.severity = finding_counts.severity AND c.status = finding_counts.status), 0)
                        WHERE map_name = '' AND level = ''
                        """).run()
                    try await sql.raw("DELETE FROM finding_counts WHERE map_name = \(bind: name)").run()
                    try await sql.raw("DELETE FROM findings WHERE map_name = \(bind: name)").run()
                }
            }
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}
