import FluentKit
import SQLKit

/// The events an append stored wait in `progress_rollup_queue` until a fold adds them to the analytics roll-ups
/// (``ProgressRollups/fold(limit:)``), so an append no longer updates the experience-wide roll-up rows: those are
/// shared by every player and, updated inside each append, made concurrent appends queue on their row locks.
/// Events stored before this migration are already in the roll-ups; the queue starts empty.
struct QueueProgressRollups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run([
            """
            CREATE TABLE progress_rollup_queue (
                event_id TEXT PRIMARY KEY REFERENCES player_progress_events(id) ON DELETE CASCADE
            )
            """
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE progress_rollup_queue"])
    }
}
