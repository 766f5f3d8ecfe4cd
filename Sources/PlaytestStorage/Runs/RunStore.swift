import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// The `runs` table: creating, listing and moving runs between statuses.
///
/// Every status change is one conditional `UPDATE … WHERE status IN (…) RETURNING id`, so two processes racing (a
/// worker finishing, a user stopping) never both win. Which moves are allowed is not decided here: `RunLifecycle`
/// (PlaytestServices) passes the statuses a move may start from (`RunStatus.sources(of:)`).
public struct RunStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    /// The run; with its map's row loaded too (`RunRecord.requireLibraryMap()`) when `withMap`. Every page and status
    /// call reads this, so it is one plain SQL statement (`RunRecord(row:withMap:)`).
    public func run(id: String, withMap: Bool = false) async throws -> RunRecord? {
        let row = try await sql.sql.raw("\(unsafeRaw: RunRecord.select(withMap: withMap)) WHERE runs.id = \(bind: id)").first()
        return try row.map { try RunRecord(row: $0, withMap: withMap) }
    }

    /// The run's status; nil when there is no such run.
    public func status(id: String) async throws -> RunStatus? {
        let row = try await sql.sql.raw("SELECT status FROM runs WHERE id = \(bind: id)").first()
        return try row.flatMap { RunStatus(rawValue: try $0.decode(column: "status", as: String.self)) }
    }

    /// A page of runs, newest first, with their maps' rows (`RunRecord.requireLibraryMap()`) and the number of runs the
    /// filter matches; nil filters match everything. The runs list reads this on every view: plain SQL, one statement
    /// for the page and one for the count.
    public func list(kind: RunKind?, status: RunStatus?, mapID: UUID?, offset: Int, limit: Int) async throws -> (runs: [RunRecord], total: Int) {
        var filter = SQLQueryString("WHERE 1 = 1")
        if let kind { filter.appendLiteral(" AND runs.kind = "); filter.appendInterpolation(bind: kind.rawValue) }
        if let status { filter.appendLiteral(" AND runs.status = "); filter.appendInterpolation(bind: status.rawValue) }
        if let mapID { filter.appendLiteral(" AND runs.map_id = "); filter.appendInterpolation(bind: mapID) }
        let total = try await sql.sql.raw("SELECT COUNT(*) AS n FROM runs \(filter)").first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.sql.raw("""
            \(unsafeRaw: RunRecord.select(withMap: true)) \(filter)
            ORDER BY runs.created_at DESC, runs.id DESC LIMIT \(bind: max(limit, 0)) OFFSET \(bind: max(offset, 0))
            """).all()
        return (try rows.map { try RunRecord(row: $0, withMap: true) }, total)
    }

    public func insert(_ run: RunRecord) async throws {
        try await run.create(on: sql.database)
    }

    /// Deletes the run and its rows in every run table (the launcher's undo). Nothing when absent.
    public func delete(id: String) async throws {
        try await sql.transaction { database in
            let sql = try RunColumnTypes(database).sql
            // The foreign keys cascade too; the explicit deletes keep this right on a database
            // whose foreign keys are off.
            for table in RunTables.owned {
                try await sql.raw("DELETE FROM \(ident: table) WHERE run_id = \(bind: id)").run()
            }
            try await sql.raw("DELETE FROM runs WHERE id = \(bind: id)").run()
        }
    }

    /// → running when the run is in one of `sources`; sets started_at the first time. False when it was not.
    public func markRunning(id: String, from sources: [RunStatus], at: Date) async throws -> Bool {
        try await changed(sql.sql.raw("""
            UPDATE runs SET status = \(bind: RunStatus.running.rawValue),
                started_at = COALESCE(started_at, \(bind: at)), updated_at = \(bind: at)
            WHERE id = \(bind: id) AND status IN (\(binds: sources.map(\.rawValue)))
            RETURNING id
            """))
    }

    /// → a final status (completed, failed or stopped) when the run is in one of `sources`, with its error, the agent's
    /// stderr tail and, for a completed run, its progress and summary JSON; sets completed_at. False when it was not.
    public func finish(
        id: String, status: RunStatus, from sources: [RunStatus], error: String?, stderrTail: String?,
        progress: Int? = nil, summary: String? = nil, at: Date
    ) async throws -> Bool {
        guard status.isFinal else {
            throw RunStoreError.invalidStatus("a run can only finish as completed, failed or stopped, not \(status.rawValue)")
        }
        var query = SQLQueryString("""
            UPDATE runs SET status = \(bind: status.rawValue), error = \(bind: error), stderr_tail = \(bind: stderrTail),
                completed_at = \(bind: at), updated_at = \(bind: at)
            """)
        if let progress { query.appendInterpolation(raw: ", progress = "); query.appendInterpolation(bind: progress) }
        if let summary { query.appendInterpolation(raw: ", summary = "); query.appendInterpolation(bind: summary) }
        query.appendInterpolation(raw: " WHERE id = ")
        query.appendInterpolation(bind: id)
        query.appendInterpolation(raw: " AND status IN (")
        query.appendInterpolation(binds: sources.map(\.rawValue))
        query.appendInterpolation(raw: ") RETURNING id")
        return try await changed(sql.sql.raw(query))
    }

    /// → stopping for the given runs of `kind` that are in one of `sources` (every such run when `ids` is nil);
    /// returns the ids it changed.
    public func markStopping(ids: [String]?, kind: RunKind, from sources: [RunStatus]) async throws -> [String] {
        if let ids, ids.isEmpty { return [] }
        var query = SQLQueryString("""
            UPDATE runs SET status = \(bind: RunStatus.stopping.rawValue), updated_at = \(bind: Date())
            WHERE kind = \(bind: kind.rawValue) AND status IN (\(binds: sources.map(\.rawValue)))
            """)
        if let ids { query.appendInterpolation(raw: " AND id IN ("); query.appendInterpolation(binds: ids); query.appendInterpolation(raw: ")") }
        query.appendInterpolation(raw: " RETURNING id")
        let rows = try await sql.sql.raw(query).all()
        return try rows.map { try $0.decode(column: "id", as: String.self) }.sorted()
    }

    /// → pending (its job is queued again) when the run is in one of `sources`: error, stderr tail and completed_at
    /// are cleared; what the run stored so far stays. False when it was not.
    public func reopen(id: String, from sources: [RunStatus]) async throws -> Bool {
        try await changed(sql.sql.raw("""
            UPDATE runs SET status = \(bind: RunStatus.pending.rawValue), error = NULL, stderr_tail = NULL,
                completed_at = NULL, updated_at = \(bind: Date())
            WHERE id = \(bind: id) AND status IN (\(binds: sources.map(\.rawValue)))
            RETURNING id
            """))
    }

    /// Records how far the run got: episodes finished or the last iteration.
    public func setProgress(id: String, progress: Int) async throws {
        try await sql.sql.raw("UPDATE runs SET progress = \(bind: progress), updated_at = \(bind: Date()) WHERE id = \(bind: id)").run()
    }

    private func changed(_ query: SQLRawBuilder) async throws -> Bool {
        !(try await query.all()).isEmpty
    }
}

/// The tables whose rows belong to one run.
enum RunTables {
    static let owned = ["run_steps", "run_events", "run_episodes", "training_metrics", "checkpoints", "artifacts", "episode_evidence", "run_prose"]
}
