import FluentKit

/// `findings` (one row per clustered defect of a map, across its versions and runs, with its triage),
/// `finding_sightings` (each time it was seen: one per map version for a static check, one per event for play) and
/// `finding_comments`. A map's findings belong to its name and level, not to one upload, so a new version keeps the
/// triage (docs/findings.md).
struct CreateFindings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE findings (
                id \(t.text) PRIMARY KEY,
                map_name \(t.text) NOT NULL,
                level \(t.text) NOT NULL,
                kind \(t.text) NOT NULL,
                severity \(t.text) NOT NULL,
                source \(t.text) NOT NULL,
                message \(t.text) NOT NULL,
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                sector \(t.integer),
                line \(t.integer),
                status \(t.text) NOT NULL,
                status_by \(t.text),
                status_at \(t.date),
                first_seen \(t.date) NOT NULL,
                last_seen \(t.date) NOT NULL,
                occurrences \(t.integer) NOT NULL,
                last_map_id \(t.text) NOT NULL,
                last_run_id \(t.text),
                last_episode \(t.integer),
                last_tic \(t.integer)
            )
            """,
            "CREATE INDEX findings_place ON findings (map_name, level, kind)",
            "CREATE INDEX findings_seen ON findings (last_seen)",
            """
            CREATE TABLE finding_sightings (
                finding_id \(t.text) NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
                sighting \(t.text) NOT NULL,
                map_id \(t.text) NOT NULL,
                run_id \(t.text),
                episode \(t.integer),
                tic \(t.integer),
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                seen_at \(t.date) NOT NULL,
                PRIMARY KEY (finding_id, sighting)
            )\(t.keyedTableSuffix)
            """,
            "CREATE INDEX finding_sightings_map ON finding_sightings (map_id, finding_id)",
            "CREATE INDEX finding_sightings_run ON finding_sightings (run_id)",
            """
            CREATE TABLE finding_comments (
                id \(t.text) PRIMARY KEY,
                finding_id \(t.text) NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
                user_id \(t.text),
                author \(t.text) NOT NULL,
                body \(t.text) NOT NULL,
                created_at \(t.date) NOT NULL
            )
            """,
            "CREATE INDEX finding_comments_finding ON finding_comments (finding_id, created_at)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE finding_comments", "DROP TABLE finding_sightings", "DROP TABLE findings"])
    }
}
