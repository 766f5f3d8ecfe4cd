import Foundation
import SQLKit

/// Episodes' evidence rows (``EpisodeEvidence``); the files themselves are artifacts.
extension TestTelemetryStore {
    /// Records an episode's evidence; a second record of the same episode replaces the first (a retried job).
    public func recordEvidence(_ evidence: EpisodeEvidence) async throws {
        try await sql.raw("""
            INSERT INTO episode_evidence (run_id, episode, missing, summary, created_at)
            VALUES (\(bind: evidence.runID), \(bind: evidence.episode), \(bind: evidence.missing), \(bind: evidence.summary),
                \(bind: evidence.createdAt))
            ON CONFLICT (run_id, episode) DO UPDATE SET missing = excluded.missing, summary = excluded.summary,
                created_at = excluded.created_at
            """).run()
    }

    /// A run's evidence rows by episode.
    public func evidence(runID: String) async throws -> [EpisodeEvidence] {
        try await sql.raw("""
            SELECT run_id, episode, missing, summary, created_at FROM episode_evidence WHERE run_id = \(bind: runID) ORDER BY episode
            """).all().map { row in
            EpisodeEvidence(
                runID: try row.decode(column: "run_id", as: String.self), episode: try row.decode(column: "episode", as: Int.self),
                missing: try row.decode(column: "missing", as: String?.self), summary: try row.decode(column: "summary", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }
}
