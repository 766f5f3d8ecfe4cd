import FluentKit

/// The agents' player profiles, indexed apart (a partial index: the few agents, not the humans). Every analytics query
/// leaves agents out of the human figures (`NOT IN (SELECT id … WHERE kind = 'agent')`), and without it that list was
/// a scan of every profile: 14-23 ms of the experience figures' 33-60 ms with 100,000 players on PostgreSQL.
struct AgentProfilesIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["CREATE INDEX idx_player_profiles_agents ON player_profiles (id) WHERE kind = 'agent'"])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP INDEX idx_player_profiles_agents"])
    }
}
