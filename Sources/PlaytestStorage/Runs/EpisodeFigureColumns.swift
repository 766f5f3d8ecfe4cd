import FluentKit
import SQLKit

/// The figures every analysis adds up, as columns of `run_episodes` beside its JSON: the exit, the duration, kills,
/// deaths, health lost and coverage. Summing them over 100,000 episodes reads columns instead of parsing each
/// episode's JSON (bench/results/analysis.md). Existing rows are filled from their JSON.
struct EpisodeFigureColumns: AsyncMigration {
    static let columns = ["exit_reached", "duration_seconds", "kills", "deaths", "health_lost", "coverage"]

    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        let no = t.isPostgres ? "false" : "0"
        try await t.run([
            "ALTER TABLE run_episodes ADD COLUMN exit_reached \(t.bool) NOT NULL DEFAULT \(no)",
            "ALTER TABLE run_episodes ADD COLUMN duration_seconds \(t.double) NOT NULL DEFAULT 0",
            "ALTER TABLE run_episodes ADD COLUMN kills \(t.integer) NOT NULL DEFAULT 0",
            "ALTER TABLE run_episodes ADD COLUMN deaths \(t.integer) NOT NULL DEFAULT 0",
            "ALTER TABLE run_episodes ADD COLUMN health_lost \(t.integer) NOT NULL DEFAULT 0",
            "ALTER TABLE run_episodes ADD COLUMN coverage \(t.double)",
        ])
        let field = { (name: String, type: String) in
            t.isPostgres ? "(metrics::jsonb->>'\(name)')::\(type)" : "json_extract(metrics, '$.\(name)')"
        }
        try await t.run(["""
            UPDATE run_episodes SET
                exit_reached = COALESCE(\(field("exit_reached", "boolean")), \(no)),
                duration_seconds = COALESCE(\(field("duration_seconds", "float8")), 0),
                kills = COALESCE(\(field("kills", "bigint")), 0),
                deaths = COALESCE(\(field("deaths", "bigint")), 0),
                health_lost = COALESCE(\(field("health_lost", "bigint")), 0),
                coverage = \(field("coverage", "float8"))
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(Self.columns.map { "ALTER TABLE run_episodes DROP COLUMN \($0)" })
    }
}
