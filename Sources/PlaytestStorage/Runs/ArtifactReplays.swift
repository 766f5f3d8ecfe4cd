import FluentKit

/// `artifacts.replay`: for the demo of an episode that ended at the exit, the agent's replay check (JSON of
/// ``DemoReplayCheck``), which makes the demo the proof that the map can be finished. Null for other artifacts.
struct ArtifactReplays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["ALTER TABLE artifacts ADD COLUMN replay TEXT"])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["ALTER TABLE artifacts DROP COLUMN replay"])
    }
}
