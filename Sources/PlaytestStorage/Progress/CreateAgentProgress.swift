import FluentKit
import SQLKit

/// The durable half of agents' live state (docs/live-state.md): milestones, leaderboards and their records, the
/// leaderboard writes already applied (so a retried `incr` counts once), per-run location heat, per-episode reward
/// and confidence summaries, and stuck spots that carry across runs. Redis holds the hot copy; these rebuild it.
struct CreateAgentProgress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE run_milestones (
                run_id \(t.runReference),
                milestone \(t.text) NOT NULL,
                agent \(t.text) NOT NULL,
                map_id \(t.text) NOT NULL,
                episode \(t.integer) NOT NULL,
                tic \(t.integer) NOT NULL,
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                awarded_at \(t.date) NOT NULL,
                screenshot_artifact \(t.text),
                PRIMARY KEY (run_id, milestone)
            )\(t.keyedTableSuffix)
            """,
            """
            CREATE TABLE leaderboards (
                id \(t.text) PRIMARY KEY,
                title \(t.text) NOT NULL,
                sort_order \(t.text) NOT NULL,
                operator \(t.text) NOT NULL,
                reset_schedule \(t.text),
                metadata \(t.text) NOT NULL,
                map_id \(t.text),
                created_at \(t.date) NOT NULL
            )
            """,
            "CREATE INDEX leaderboards_map ON leaderboards (map_id)",
            """
            CREATE TABLE leaderboard_records (
                board_id \(t.text) NOT NULL REFERENCES leaderboards(id) ON DELETE CASCADE,
                period_start \(t.integer) NOT NULL,
                owner \(t.text) NOT NULL,
                score \(t.double) NOT NULL,
                writes \(t.integer) NOT NULL,
                metadata \(t.text) NOT NULL,
                updated_at \(t.date) NOT NULL,
                PRIMARY KEY (board_id, period_start, owner)
            )\(t.keyedTableSuffix)
            """,
            "CREATE INDEX leaderboard_records_rank ON leaderboard_records (board_id, period_start, score)",
            """
            CREATE TABLE leaderboard_writes (
                board_id \(t.text) NOT NULL REFERENCES leaderboards(id) ON DELETE CASCADE,
                write_id \(t.text) NOT NULL,
                applied_at \(t.date) NOT NULL,
                PRIMARY KEY (board_id, write_id)
            )\(t.keyedTableSuffix)
            """,
            """
            CREATE TABLE run_locations (
                run_id \(t.runReference),
                cell_x \(t.integer) NOT NULL,
                cell_y \(t.integer) NOT NULL,
                visits \(t.integer) NOT NULL,
                PRIMARY KEY (run_id, cell_x, cell_y)
            )\(t.keyedTableSuffix)
            """,
            """
            CREATE TABLE agent_episodes (
                run_id \(t.runReference),
                episode \(t.integer) NOT NULL,
                agent \(t.text) NOT NULL,
                map_id \(t.text) NOT NULL,
                steps \(t.integer) NOT NULL,
                reward_total \(t.double) NOT NULL,
                reward_min \(t.double),
                reward_max \(t.double),
                confidence_mean \(t.double),
                confidence_low \(t.double),
                finished_at \(t.date) NOT NULL,
                PRIMARY KEY (run_id, episode)
            )\(t.keyedTableSuffix)
            """,
            "CREATE INDEX agent_episodes_agent ON agent_episodes (agent, finished_at)",
            """
            CREATE TABLE agent_stuck_spots (
                run_id \(t.runReference),
                episode \(t.integer) NOT NULL,
                start_tic \(t.integer) NOT NULL,
                agent \(t.text) NOT NULL,
                map_id \(t.text) NOT NULL,
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                duration_tics \(t.integer) NOT NULL,
                PRIMARY KEY (run_id, episode, start_tic)
            )\(t.keyedTableSuffix)
            """,
            "CREATE INDEX agent_stuck_spots_agent ON agent_stuck_spots (agent, map_id)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run([
            "DROP TABLE agent_stuck_spots", "DROP TABLE agent_episodes", "DROP TABLE run_locations", "DROP TABLE leaderboard_writes",
            "DROP TABLE leaderboard_records", "DROP TABLE leaderboards", "DROP TABLE run_milestones",
        ])
    }
}
