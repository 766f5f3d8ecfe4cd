import Foundation
import PlaytestCore
import SQLKit

/// The SQL side of retention: which rows are past their age, deleting them, and the orphan bookkeeping. Blobs are the
/// services' (``BlobStore``) to delete, after the rows that name them.
public struct RetentionStore: Sendable {
    let engine: SQLEngine
    var sql: any SQLDatabase { engine.sql }

    public init(sql: SQLEngine) {
        self.engine = sql
    }

    static let finished = [RunStatus.completed, .failed, .stopped].map(\.rawValue)

    /// Deletes the step telemetry of up to `limit` runs that ended before `cutoff`; returns (runs, rows) deleted.
    public func deleteSteps(endedBefore cutoff: Date, limit: Int = 200) async throws -> (runs: Int, rows: Int) {
        let runs = try await sql.raw("""
            SELECT DISTINCT r.id FROM runs r JOIN run_steps s ON s.run_id = r.id
            WHERE r.status IN (\(binds: Self.finished)) AND r.completed_at < \(bind: cutoff) LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: String.self) }
        guard !runs.isEmpty else { return (0, 0) }
        let rows = try await sql.raw("DELETE FROM run_steps WHERE run_id IN (\(binds: runs)) RETURNING 1").all().count
        return (runs.count, rows)
    }

    /// Deletes up to `limit` screenshot rows of runs that ended before `cutoff`, but none of a run a finding was seen in
    /// (they are its evidence); demos stay (a verdict's proof). Returns the blobs they named, for the caller to delete.
    public func deleteScreenshots(endedBefore cutoff: Date, limit: Int = 1000) async throws -> [(key: String, bytes: Int64)] {
        let rows = try await sql.raw("""
            SELECT a.id, a.blob_key, a.bytes FROM artifacts a JOIN runs r ON r.id = a.run_id
            WHERE a.kind = 'screenshot' AND r.status IN (\(binds: Self.finished)) AND r.completed_at < \(bind: cutoff)
                AND NOT EXISTS (SELECT 1 FROM finding_sightings f WHERE f.run_id = a.run_id)
            LIMIT \(bind: limit)
            """).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        try await sql.raw("DELETE FROM artifacts WHERE id IN (\(binds: ids))").run()
        return try rows.map { (try $0.decode(column: "blob_key", as: String.self), try $0.decode(column: "bytes", as: Int64.self)) }
    }

    /// Every blob key a row names.
    public func namedBlobs() async throws -> Set<String> {
        var keys = Set<String>()
        for table in BlobReferences.tables {
            for row in try await sql.raw("SELECT blob_key FROM \(ident: table)").all() {
                keys.insert(try row.decode(column: "blob_key", as: String.self))
            }
        }
        return keys
    }

    /// Records `unnamed` as this sweep's orphans (forgetting ones named again) and returns those first seen before
    /// `graceCutoff`, which may go now. Returns also how many were seen for the first time.
    public func sweepOrphans(_ unnamed: Set<String>, now: Date, graceCutoff: Date) async throws -> (due: [String], new: Int) {
        let known = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT blob_key, first_seen FROM blob_orphans").all().map {
            (try $0.decode(column: "blob_key", as: String.self), try $0.decode(column: "first_seen", as: Date.self))
        })
        let named = Set(known.keys).subtracting(unnamed)
        if !named.isEmpty { try await sql.raw("DELETE FROM blob_orphans WHERE blob_key IN (\(binds: Array(named)))").run() }
        let new = unnamed.subtracting(known.keys)
        for key in new {
            try await sql.raw("INSERT INTO blob_orphans (blob_key, first_seen) VALUES (\(bind: key), \(bind: now)) ON CONFLICT DO NOTHING").run()
        }
        return (known.filter { unnamed.contains($0.key) && $0.value < graceCutoff }.map(\.key).sorted(), new.count)
    }

    public func forgetOrphan(_ key: String) async throws {
        try await sql.raw("DELETE FROM blob_orphans WHERE blob_key = \(bind: key)").run()
    }

    /// Deletes browser sessions and refresh tokens past their expiry; returns how many of each.
    public func deleteExpiredSessions(now: Date) async throws -> (sessions: Int, refreshTokens: Int) {
        let sessions = try await sql.raw("DELETE FROM browser_sessions WHERE expires_at < \(bind: now) RETURNING 1").all().count
        let tokens = try await sql.raw("DELETE FROM refresh_tokens WHERE expires_at < \(bind: now) RETURNING 1").all().count
        return (sessions, tokens)
    }

    public func save(_ report: RetentionReport) async throws {
        try await sql.raw("""
            INSERT INTO retention_reports (id, ran_at, report) VALUES (\(bind: "ret_" + UUID().uuidString.lowercased()), \(bind: report.ranAt), \(bind: try PlaytestJSON.string(report)))
            """).run()
    }

    /// The newest reports first.
    public func reports(limit: Int) async throws -> [RetentionReport] {
        try await sql.raw("SELECT report FROM retention_reports ORDER BY ran_at DESC LIMIT \(bind: limit)").all().map {
            try PlaytestJSON.decoder().decode(RetentionReport.self, from: Data(try $0.decode(column: "report", as: String.self).utf8))
        }
    }
}
