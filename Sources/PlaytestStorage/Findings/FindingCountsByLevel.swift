import FluentKit

/// The counts of one level across every map (`?level=MAP07`, with or without a kind) read through an index of their
/// own: the key starts with the map name, so they scanned every row (25,000 with 100,000 findings).
struct FindingCountsByLevel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["CREATE INDEX finding_counts_level ON finding_counts (level, kind)"])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP INDEX finding_counts_level"])
    }
}
