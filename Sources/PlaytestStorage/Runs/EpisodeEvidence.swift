import FluentKit
import Foundation

/// What became of one episode's evidence (`episode_evidence`): the demo replayed at 640x480 in colour, its video and
/// screenshots (artifacts of kind `video` and `frame`), or why there are none. `summary` is the agent's evidence
/// summary as it printed it (JSON: drift, checked tics, sizes, timings; docs/evidence.md).
public struct EpisodeEvidence: Sendable, Hashable {
    public var runID: String
    public var episode: Int
    /// The reason when there is no evidence (no demo, a replay that drifted at once, a time-out, a crash); nil when
    /// it was made.
    public var missing: String?
    public var summary: String
    public var createdAt: Date

    public init(runID: String, episode: Int, missing: String?, summary: String, createdAt: Date) {
        self.runID = runID
        self.episode = episode
        self.missing = missing
        self.summary = summary
        self.createdAt = createdAt
    }
}

/// `episode_evidence`: one row per episode whose evidence was made or found missing.
struct CreateEpisodeEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE episode_evidence (
                run_id \(t.runReference),
                episode \(t.integer) NOT NULL,
                missing \(t.text),
                summary \(t.text) NOT NULL,
                created_at \(t.date) NOT NULL,
                PRIMARY KEY (run_id, episode)
            )\(t.keyedTableSuffix)
            """,
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE episode_evidence"])
    }
}
