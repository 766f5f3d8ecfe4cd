import FluentKit

/// `map_progressions` (``MapProgressionStore``), keyed by the WAD's SHA-256 rather than the library entry, so that
/// a re-upload of the same file and every run on it share one computation.
struct CreateMapProgressions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["""
            CREATE TABLE map_progressions (
                sha256 \(t.text) NOT NULL,
                map_name \(t.text) NOT NULL,
                skill \(t.integer) NOT NULL,
                revision \(t.text) NOT NULL,
                verdict \(t.text) NOT NULL,
                plan \(t.text) NOT NULL,
                computed_ms \(t.double) NOT NULL,
                created_at \(t.date) NOT NULL,
                PRIMARY KEY (sha256, map_name, skill, revision)
            )\(t.keyedTableSuffix)
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE map_progressions"])
    }
}
