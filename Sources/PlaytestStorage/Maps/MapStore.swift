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
        let query = MapRecord.query(on: sql.database)
        if let filter = nameContains?.trimmingCharacters(in: .whitespaces), !filter.isEmpty {
            query.filter(\.$name, .custom(sql.dialect == .postgres ? "ILIKE" : "LIKE"), "%\(Self.escapeLike(filter))%")
        }
        let total = try await query.copy().count()
        let records = try await query.sort(\.$builtin).sort(\.$uploadedAt, .descending).sort(\.$name).range(offset..<(offset + limit)).all()
        return (records, total)
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
        let runs = try await RunRecord.query(on: sql.database).filter(\.$map.$id ~~ mapIDs).field(\.$map.$id).field(\.$kind).all()
        var counts: [UUID: (training: Int, testing: Int)] = [:]
        for run in runs {
            let id = run.$map.id
            var count = counts[id] ?? (0, 0)
            if run.kind == .training { count.training += 1 } else { count.testing += 1 }
            counts[id] = count
        }
        return counts
    }

    /// Runs on the map that are pending, running or stopping.
    public func activeRunCount(mapID: UUID) async throws -> Int {
        try await RunRecord.query(on: sql.database).filter(\.$map.$id == mapID).filter(\.$status ~~ RunStatus.active).count()
    }

    /// Deletes the row and the map's runs (with every row they own) in one transaction.
    public func delete(id: UUID) async throws {
        try await sql.database.transaction { database in
            try await RunRecord.query(on: database).filter(\.$map.$id == id).delete()
            try await MapRecord.query(on: database).filter(\.$id == id).delete()
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}
