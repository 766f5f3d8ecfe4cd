import FluentKit

/// One level's findings across every map of one kind, worst first (`?level=MAP07&kind=…`), read from an index in that
/// order: through the kind's index they were the tenth of its rows that are on the level, each looked up in the table
/// to tell (p99 47-48 → 25-30 ms with 100,000 findings on SQLite, wrk -c16).
struct FindingsLevelWorst: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run([
            "CREATE INDEX findings_level_worst ON findings (level, kind, severity_rank, occurrences DESC, last_seen DESC, id)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP INDEX findings_level_worst"])
    }
}
