import FluentKit

/// A trigram index over the findings' messages, so that the bug list's text search (`q`, any substring) reads the few
/// findings whose message holds the text instead of every message.
///
/// - PostgreSQL: `pg_trgm`'s GIN index on `LOWER(message)`, which `LOWER(message) LIKE '%text%'` uses as it is.
/// - SQLite: an FTS5 table with the trigram tokenizer (case-insensitive, answering `LIKE '%text%'` from its index),
///   kept by triggers. Its rows are keyed by `findings.text_id`, a column of its own: the table's rowid would not do,
///   since SQLite renumbers rowids when it copies a table (`VACUUM INTO`, the backup).
///
/// Either way the index follows every write to `findings` (a new finding, a message reworded by a later sighting,
/// a map's findings deleted) without the writers knowing of it.
struct FindingTextIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        if t.isPostgres {
            // In `public`, whatever the search path: every schema's index shares the one extension (the tests give each
            // suite a schema of its own and drop it after). Suites migrating at once race to create it: the loser finds
            // it there. A server that may not create it (not the database's owner, PostgreSQL before 13) keeps the scan.
            do {
                try await t.run(["CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"])
            } catch {
                guard try await t.sql.raw("SELECT 1 AS one FROM pg_extension WHERE extname = 'pg_trgm'").first() != nil else { return }
            }
            try await t.run(["CREATE INDEX findings_message_trigrams ON findings USING gin (LOWER(message) public.gin_trgm_ops)"])
            return
        }
        try await t.run([
            "ALTER TABLE findings ADD COLUMN text_id INTEGER",
            "UPDATE findings SET text_id = rowid",
            "CREATE UNIQUE INDEX findings_text_id ON findings (text_id)",
            "CREATE VIRTUAL TABLE finding_text USING fts5(message, tokenize = 'trigram')",
            "INSERT INTO finding_text (rowid, message) SELECT text_id, message FROM findings",
            """
            CREATE TRIGGER findings_text_insert AFTER INSERT ON findings BEGIN
                UPDATE findings SET text_id = (SELECT COALESCE(MAX(text_id), 0) + 1 FROM findings) WHERE id = new.id;
                INSERT INTO finding_text (rowid, message) SELECT text_id, message FROM findings WHERE id = new.id;
            END
            """,
            """
            CREATE TRIGGER findings_text_update AFTER UPDATE OF message ON findings WHEN old.message IS NOT new.message BEGIN
                UPDATE finding_text SET message = new.message WHERE rowid = new.text_id;
            END
            """,
            """
            CREATE TRIGGER findings_text_delete AFTER DELETE ON findings BEGIN
                DELETE FROM finding_text WHERE rowid = old.text_id;
            END
            """,
        ])
    }

    func revert(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        if t.isPostgres {
            try await t.run(["DROP INDEX IF EXISTS findings_message_trigrams"])
            return
        }
        try await t.run([
            "DROP TRIGGER findings_text_delete", "DROP TRIGGER findings_text_update", "DROP TRIGGER findings_text_insert",
            "DROP TABLE finding_text", "DROP INDEX findings_text_id", "ALTER TABLE findings DROP COLUMN text_id",
        ])
    }
}
