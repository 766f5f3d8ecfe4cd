import FluentKit
import SQLKit

/// Seed 002's player progress tables with its columns and indexes: `player_profiles`, `experience_progress` and the
/// append-only `player_progress_events`. JSONB with the seed's GIN indexes on PostgreSQL, JSON text on SQLite. Two
/// additions the API needs: `experience_progress.version` (optimistic concurrency: the ETag) and
/// `player_progress_events.client_event_id` (idempotent appends), each with its unique index.
struct CreatePlayerProgress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        let json = t.isPostgres ? "JSONB" : "TEXT"
        let now = t.isPostgres ? "NOW()" : "((julianday('now') - 2440587.5) * 86400.0)"
        var statements = [
            """
            CREATE TABLE player_profiles (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
                total_experiences_played \(t.integer) DEFAULT 0,
                total_playtime_seconds \(t.integer) DEFAULT 0,
                total_distance_meters \(t.double) DEFAULT 0.0,
                account_level \(t.integer) DEFAULT 1,
                stats \(json) DEFAULT '{}',
                created_at \(t.date) DEFAULT \(now),
                updated_at \(t.date) DEFAULT \(now)
            )
            """,
            "CREATE INDEX idx_player_profiles_user_id ON player_profiles(user_id)",
            "CREATE INDEX idx_player_profiles_account_level ON player_profiles(account_level)",
            """
            CREATE TABLE experience_progress (
                id TEXT PRIMARY KEY,
                player_id TEXT NOT NULL REFERENCES player_profiles(id) ON DELETE CASCADE,
                experience_id VARCHAR(100) NOT NULL,
                started_at \(t.date),
                completed_at \(t.date),
                last_played_at \(t.date),
                playtime_seconds \(t.integer) DEFAULT 0,
                completion_percentage \(t.double) DEFAULT 0.0,
                current_location VARCHAR(255),
                state \(json) DEFAULT '{}',
                version \(t.integer) NOT NULL DEFAULT 1,
                created_at \(t.date) DEFAULT \(now),
                updated_at \(t.date) DEFAULT \(now),
                UNIQUE(player_id, experience_id)
            )
            """,
            "CREATE INDEX idx_experience_progress_player_id ON experience_progress(player_id)",
            "CREATE INDEX idx_experience_progress_experience_id ON experience_progress(experience_id)",
            "CREATE INDEX idx_experience_progress_last_played ON experience_progress(last_played_at)",
            "CREATE INDEX idx_experience_progress_player_exp ON experience_progress(player_id, experience_id)",
            """
            CREATE TABLE player_progress_events (
                id TEXT PRIMARY KEY,
                experience_progress_id TEXT NOT NULL REFERENCES experience_progress(id) ON DELETE CASCADE,
                event_type VARCHAR(50) NOT NULL,
                content_id VARCHAR(255),
                data \(json) DEFAULT '{}',
                location_lat \(t.double),
                location_lng \(t.double),
                timestamp \(t.date) DEFAULT \(now) NOT NULL,
                client_event_id VARCHAR(100)
            )
            """,
            "CREATE INDEX idx_progress_events_experience_id ON player_progress_events(experience_progress_id)",
            "CREATE INDEX idx_progress_events_type ON player_progress_events(event_type)",
            "CREATE INDEX idx_progress_events_timestamp ON player_progress_events(timestamp)",
            "CREATE INDEX idx_progress_events_content_id ON player_progress_events(content_id)",
            "CREATE UNIQUE INDEX idx_progress_events_client_id ON player_progress_events(experience_progress_id, client_event_id)",
        ]
        if t.isPostgres {
            statements += [
                "CREATE INDEX idx_experience_progress_state_inventory ON experience_progress USING GIN ((state->'inventory'))",
                "CREATE INDEX idx_experience_progress_state_visited ON experience_progress USING GIN ((state->'visited_waypoints'))",
            ]
        }
        try await t.run(statements)
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE player_progress_events", "DROP TABLE experience_progress", "DROP TABLE player_profiles"])
    }
}
