import FluentKit
import SQLKit

/// What player-progress analytics read instead of the event log (docs/player-progress.md, "Analytics"), kept by the
/// same transaction that appends the events, so they grow with content and hours, not with events:
/// - `progress_content_hourly`: visits and time spent per content id, event type, player kind and hour;
/// - `progress_content_players`: per content id and player, the first and last visit (unique players in a window
///   are the rows whose last visit falls in it);
/// - `progress_content_totals`: all-time visits and players per content id (the most-visited waypoints).
///
/// Also `player_profiles.kind` (`human` or `agent`: agents' test runs are recorded as players, so the two groups can be
/// compared) and `experience_progress.distance_meters` (the experience's distance leaderboard's truth), with the
/// indexes the funnel, the playtime distribution and the leaderboard read by.
struct CreateProgressAnalytics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            "ALTER TABLE player_profiles ADD COLUMN kind VARCHAR(10) NOT NULL DEFAULT 'human'",
            "ALTER TABLE experience_progress ADD COLUMN distance_meters \(t.double) NOT NULL DEFAULT 0",
            """
            CREATE TABLE progress_content_hourly (
                experience_id VARCHAR(100) NOT NULL,
                event_type VARCHAR(50) NOT NULL,
                content_id VARCHAR(255) NOT NULL,
                player_kind VARCHAR(10) NOT NULL,
                hour \(t.integer) NOT NULL,
                visits \(t.integer) NOT NULL DEFAULT 0,
                time_spent \(t.double) NOT NULL DEFAULT 0,
                PRIMARY KEY (experience_id, event_type, content_id, player_kind, hour)
            )\(t.keyedTableSuffix)
            """,
            """
            CREATE TABLE progress_content_players (
                experience_id VARCHAR(100) NOT NULL,
                event_type VARCHAR(50) NOT NULL,
                content_id VARCHAR(255) NOT NULL,
                experience_progress_id TEXT NOT NULL REFERENCES experience_progress(id) ON DELETE CASCADE,
                player_kind VARCHAR(10) NOT NULL,
                first_at \(t.date) NOT NULL,
                last_at \(t.date) NOT NULL,
                visits \(t.integer) NOT NULL DEFAULT 0,
                PRIMARY KEY (experience_id, event_type, content_id, experience_progress_id)
            )\(t.keyedTableSuffix)
            """,
            "CREATE INDEX idx_progress_content_players_last ON progress_content_players (experience_id, event_type, content_id, player_kind, last_at)",
            "CREATE INDEX idx_progress_content_players_progress ON progress_content_players (experience_progress_id)",
            """
            CREATE TABLE progress_content_totals (
                experience_id VARCHAR(100) NOT NULL,
                event_type VARCHAR(50) NOT NULL,
                player_kind VARCHAR(10) NOT NULL,
                content_id VARCHAR(255) NOT NULL,
                visits \(t.integer) NOT NULL DEFAULT 0,
                players \(t.integer) NOT NULL DEFAULT 0,
                time_spent \(t.double) NOT NULL DEFAULT 0,
                PRIMARY KEY (experience_id, event_type, player_kind, content_id)
            )\(t.keyedTableSuffix)
            """,
            // Covers the funnel and the playtime quantiles (an index-only scan of one experience's players).
            "CREATE INDEX idx_experience_progress_funnel ON experience_progress (experience_id, playtime_seconds, completion_percentage, player_id)",
            "CREATE INDEX idx_experience_progress_distance ON experience_progress (experience_id, distance_meters)",
        ])
        // Events stored before this migration: roll them up once.
        try await ProgressRollups(sql: t.sql, isPostgres: t.isPostgres).rebuild()
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run([
            "DROP TABLE progress_content_totals", "DROP TABLE progress_content_players", "DROP TABLE progress_content_hourly",
            "DROP INDEX idx_experience_progress_funnel",
            "DROP INDEX idx_experience_progress_distance",
            "ALTER TABLE experience_progress DROP COLUMN distance_meters", "ALTER TABLE player_profiles DROP COLUMN kind",
        ])
    }
}
