import FluentKit
import SQLKit

/// `blob_orphans`: blobs no row names, with when a sweep first saw them so (one is deleted only when a later sweep,
/// past the grace period, still finds it unnamed: an upload whose row is not written yet is never taken);
/// `retention_reports`: what each retention run freed.
struct CreateRetention: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            "CREATE TABLE blob_orphans (blob_key \(t.text) PRIMARY KEY, first_seen \(t.date) NOT NULL)\(t.keyedTableSuffix)",
            """
            CREATE TABLE retention_reports (
                id \(t.text) PRIMARY KEY,
                ran_at \(t.date) NOT NULL,
                report \(t.text) NOT NULL
            )
            """,
            "CREATE INDEX retention_reports_ran ON retention_reports (ran_at)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE retention_reports", "DROP TABLE blob_orphans"])
    }
}
