import FluentKit
import Foundation
import SQLKit

/// Runs table access: creating, listing and moving runs through their states.
///
/// State changes are single conditional `UPDATE … RETURNING` statements, so two processes racing
/// (a worker finishing, a user stopping) never both win.
public struct RunStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    public func run(id: String) async throws -> RunRecord? {
        try await RunRecord.find(id, on: sql.database)
    }

    /// A page of runs, newest first, with the number of runs the filter matches.
    public func list(_ filter: RunFilter, offset: Int, limit: Int) async throws -> (runs: [RunRecord], total: Int) {
        let query = RunRecord.query(on: sql.database)
        if let kind = filter.kind { query.filter(\.$kind == kind) }
        if let status = filter.status { query.filter(\.$status == status) }
        if let mapID = filter.mapID { query.filter(\.$map.$id == mapID) }
        let total = try await query.copy().count()
        let start = max(offset, 0)
        let runs = try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(start..<(start + max(limit, 0))).all()
        return (runs, total)
    }

    public func insert(_ run: RunRecord) async throws {
        try await run.create(on: sql.database)
    }

    /// Deletes the run and its rows in every run table (the launcher's undo). Nothing when absent.
    public func delete(id: String) async throws {
        try await sql.database.transaction { database in
            let sql = try RunColumnTypes(database).sql
            // The foreign keys cascade too; the explicit deletes keep this right on a database
            // whose foreign keys are off.
            for table in RunTables.owned {
                try await sql.raw("DELETE FROM \(ident: table) WHERE run_id = \(bind: id)").run()
            }
            try await sql.raw("DELETE FROM runs WHERE id = \(bind: id)").run()
        }
    }

    /// pending|running → running, sets started_at if nil. False if the run is in a final state,
    /// stopping, or absent.
    public func markRunning(id: String, at: Date) async throws -> Bool {
        let rows = try await sql.sql.raw("""
            UPDATE runs SET status = \(bind: RunRecord.Status.running.rawValue),
                started_at = COALESCE(started_at, \(bind: at)), updated_at = \(bind: at)
            WHERE id = \(bind: id) AND status IN (\(binds: [RunRecord.Status.pending.rawValue, RunRecord.Status.running.rawValue]))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Final status (completed|failed|stopped) with error and stderr tail; sets completed_at.
    /// Idempotent: a run already in a final state keeps its first outcome.
    public func finish(id: String, status: RunRecord.Status, error: String?, stderrTail: String?, at: Date) async throws {
        guard status.isFinal else {
            throw RunStoreError.invalidStatus("a run can only finish as completed, failed or stopped, not \(status.rawValue)")
        }
        try await sql.sql.raw("""
            UPDATE runs SET status = \(bind: status.rawValue), error = \(bind: error), stderr_tail = \(bind: stderrTail),
                completed_at = \(bind: at), updated_at = \(bind: at)
            WHERE id = \(bind: id) AND status NOT IN (\(binds: RunRecord.Status.final.map(\.rawValue)))
            """).run()
    }

    /// pending|running → stopping; returns the ids it changed (all active runs of `kind` when
    /// `ids` is nil). Runs of another kind, finished runs and runs already stopping are left alone.
    public func requestStop(ids: [String]?, kind: RunRecord.Kind) async throws -> [String] {
        if let ids, ids.isEmpty { return [] }
        let active = [RunRecord.Status.pending.rawValue, RunRecord.Status.running.rawValue]
        var query = SQLQueryString("""
            UPDATE runs SET status = \(bind: RunRecord.Status.stopping.rawValue), updated_at = \(bind: Date())
            WHERE kind = \(bind: kind.rawValue) AND status IN (\(binds: active))
            """)
        if let ids { query.appendInterpolation(raw: " AND id IN ("); query.appendInterpolation(binds: ids); query.appendInterpolation(raw: ")") }
        query.appendInterpolation(raw: " RETURNING id")
        let rows = try await sql.sql.raw(query).all()
        return try rows.map { try $0.decode(column: "id", as: String.self) }.sorted()
    }

    /// Records how far the run got (episodes finished or last iteration) and, when given, its summary JSON.
    public func setProgress(id: String, progress: Int, summary: String?) async throws {
        if let summary {
            try await sql.sql.raw("""
                UPDATE runs SET progress = \(bind: progress), summary = \(bind: summary), updated_at = \(bind: Date())
                WHERE id = \(bind: id)
                """).run()
        } else {
            try await sql.sql.raw("UPDATE runs SET progress = \(bind: progress), updated_at = \(bind: Date()) WHERE id = \(bind: id)").run()
        }
    }
}

/// The tables whose rows belong to one run.
enum RunTables {
    static let owned = ["run_steps", "run_events", "run_episodes", "training_metrics", "checkpoints", "artifacts"]
}
