import FluentKit
import Foundation
import Logging
import SQLKit
import Testing
@testable import PlaytestStorage

@Suite("Run migrations")
struct RunMigrationTests {
    @Test("a database with runs from before ExtendRuns migrates, its runs keep reading", arguments: TestDatabase.available)
    func extendsExistingRuns(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            // TestDatabase migrated everything; start again from the schema before the runs feature
            // (jobs, workers, maps, runs).
            try await Self.migrator(db, PlaytestMigrations.all()).revertAllBatches().get()
            let before = Array(PlaytestMigrations.all().prefix { !($0 is ExtendRuns) })
            #expect(before.count == 4)
            try await Self.migrator(db, before).prepareBatch().get()
            #expect(try await db.engine.pendingMigrations().first == "PlaytestStorage.ExtendRuns")

            let map = try await RunFixtures.map(db)
            try await db.engine.sql.raw("""
                INSERT INTO runs (id, kind, status, map_id, map_name, agent, params, created_at)
                VALUES ('test_old', 'testing', 'completed', \(bind: map), 'MAP01', 'random', '{"episodes":2}', \(bind: RunFixtures.epoch))
                """).run()
            try await db.engine.migrate()
            #expect(try await db.engine.pendingMigrations().isEmpty)
            let run = try #require(try await RunStore(sql: db.engine).run(id: "test_old"))
            #expect(run.plan == "{}")
            #expect(run.target == 0)
            #expect(run.progress == 0)
            #expect(run.summary == nil)
            #expect(run.params == #"{"episodes":2}"#)
        }
    }

    static func migrator(_ db: TestDatabase, _ list: [any Migration]) -> Migrator {
        let migrations = Migrations()
        migrations.add(list)
        return Migrator(databases: db.engine.databases, migrations: migrations, logger: Logger(label: "test"),
                        on: db.engine.eventLoopGroup.any())
    }
}
