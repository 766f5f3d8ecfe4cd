import FluentKit

/// The counts over every map as well, under the map name and level '' (no map or level has an empty name): a list
/// not narrowed to a map sums a few dozen rows.
struct FindingTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["""
            INSERT INTO finding_counts (map_name, level, kind, severity, status, n)
            SELECT '', '', kind, severity, status, SUM(n) FROM finding_counts GROUP BY kind, severity, status
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DELETE FROM finding_counts WHERE map_name = ''"])
    }
}
