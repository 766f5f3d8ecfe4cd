import FluentKit
import PlaytestCore
import Foundation
import SQLKit

extension RunRecord {
    /// Every column `init(row:withMap:)` reads (a test checks it against the model's fields). Named one by one, not
    /// `runs.*`: SQLite expands `*` from a connection's cached schema, which can predate a migration run on another.
    static let rowColumns = [
        "id", "kind", "status", "map_id", "map_name", "agent", "checkpoint", "params", "plan", "target", "progress", "summary",
        "stderr_tail", "job_id", "error", "created_at", "started_at", "completed_at", "updated_at", "created_by",
    ]

    /// `SELECT` of the run's columns, without or with its library entry's row (`MapRecord.selectList(prefix: "library_")`).
    static func select(withMap: Bool) -> String {
        let columns = rowColumns.map { "runs.\($0)" }.joined(separator: ", ")
        return withMap
            ? "SELECT \(columns), \(MapRecord.selectList(prefix: "library_")) FROM runs JOIN maps ON maps.id = runs.map_id"
            : "SELECT \(columns) FROM runs"
    }

    /// A `runs` row read with plain SQL (`select(withMap:)`), with its library entry's row when `withMap`.
    /// Fluent decodes a model by reflecting over its properties on every row, which was a third of the CPU time of a
    /// page of 100 runs (bench/results/web.md); this reads each column by name.
    convenience init(row: any SQLRow, withMap: Bool) throws {
        self.init()
        id = try row.decode(column: "id", as: String.self)
        kind = try Self.decodeRaw(RunKind.self, row, "kind")
        status = try Self.decodeRaw(RunStatus.self, row, "status")
        $map.id = try row.decode(column: "map_id", as: UUID.self)
        mapName = try row.decode(column: "map_name", as: String.self)
        agent = try row.decode(column: "agent", as: String.self)
        checkpoint = try row.decode(column: "checkpoint", as: String?.self)
        params = try row.decode(column: "params", as: String.self)
        plan = try row.decode(column: "plan", as: String.self)
        target = try row.decode(column: "target", as: Int.self)
        progress = try row.decode(column: "progress", as: Int.self)
        summary = try row.decode(column: "summary", as: String?.self)
        stderrTail = try row.decode(column: "stderr_tail", as: String?.self)
        jobID = try row.decode(column: "job_id", as: String?.self)
        error = try row.decode(column: "error", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        startedAt = try row.decode(column: "started_at", as: Date?.self)
        completedAt = try row.decode(column: "completed_at", as: Date?.self)
        updatedAt = try row.decode(column: "updated_at", as: Date?.self)
        createdBy = try row.decode(column: "created_by", as: String?.self)
        // Fluent treats a model it did not read as new; this one is a stored row.
        $id.exists = true
        if withMap { $map.value = try MapRecord(row: row, prefix: "library_") }
    }

    private static func decodeRaw<Value: RawRepresentable>(_ type: Value.Type, _ row: any SQLRow, _ column: String) throws -> Value
    where Value.RawValue == String {
        let raw = try row.decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "runs.\(column): unknown value \(raw)"))
        }
        return value
    }
}
