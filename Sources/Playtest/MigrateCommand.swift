import ArgumentParser
import PlaytestStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema.",
        discussion: "Runs every pending migration on the configured database (DATABASE_URL, or SQLite in the data folder). The embedded default also migrates at start."
    )

    @Flag(name: .long, help: "List the pending migrations without running them.")
    var dryRun = false

    func run() async throws {
        let env = Bootstrap.environment()
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let sql: SQLEngine
        do {
            sql = try await SQLEngine.open(configuration.sql, logger: logger)
        } catch {
            throw StartupError(message: "cannot open the database: \(error)")
        }
        do {
            let version = try await sql.schemaVersion()
            let pending = try await sql.pendingMigrations()
            if dryRun {
                print("Schema version \(version.found); this playtest needs \(version.needed).")
                print(pending.isEmpty ? "No pending migrations." : "Pending migrations:\n" + pending.map { "  \($0)" }.joined(separator: "\n"))
            } else {
                try await sql.migrate()
                let summary = pending.isEmpty ? "Already up to date" : "Applied \(pending.count) migration(s)"
                print("\(summary): schema version \(version.needed) (was \(version.found))." + pending.map { "\n  \($0)" }.joined())
            }
        } catch {
            await sql.shutdown()
            throw StartupError(message: "migration failed: \(DatabaseError.describe(error))")
        }
        await sql.shutdown()
    }
}
