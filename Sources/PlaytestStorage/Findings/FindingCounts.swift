import FluentKit
import PlaytestCore
import SQLKit

/// `finding_counts`: how many findings each map name, level, kind, severity and status has, kept beside `findings` in
/// the same transactions (a new finding, a status change, a map's last version deleted), so that the bug dashboard's
/// counts are a sum over a few rows instead of a scan of every finding. `severity_rank` on `findings` (0 error,
/// 1 warning, 2 info) and its indexes serve the list's order, worst first, without sorting every finding.
struct CreateFindingCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE finding_counts (
                map_name \(t.text) NOT NULL,
                level \(t.text) NOT NULL,
                kind \(t.text) NOT NULL,
                severity \(t.text) NOT NULL,
                status \(t.text) NOT NULL,
                n \(t.integer) NOT NULL,
                PRIMARY KEY (map_name, level, kind, severity, status)
            )\(t.keyedTableSuffix)
            """,
            """
            INSERT INTO finding_counts (map_name, level, kind, severity, status, n)
            SELECT map_name, level, kind, severity, status, COUNT(*) FROM findings GROUP BY map_name, level, kind, severity, status
            """,
            "ALTER TABLE findings ADD COLUMN severity_rank \(t.integer) NOT NULL DEFAULT 2",
            "UPDATE findings SET severity_rank = CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END",
            "CREATE INDEX findings_worst ON findings (severity_rank, occurrences DESC, last_seen DESC, id)",
            "CREATE INDEX findings_kind_worst ON findings (kind, severity_rank, occurrences DESC, last_seen DESC, id)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run([
            "DROP INDEX findings_kind_worst", "DROP INDEX findings_worst", "ALTER TABLE findings DROP COLUMN severity_rank",
            "DROP TABLE finding_counts",
        ])
    }
}

extension FindingSeverity {
    /// The order the bug list shows severities in.
    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }
}
