import FluentKit
import Foundation
import Logging
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

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

            // Rows of that time, written as SQL: today's models have columns (created_by) that schema lacks.
            let map = UUID()
            try await db.engine.sql.raw("""
                INSERT INTO maps (id, name, filename, blob_key, size_bytes, sha256, wad_kind, formats, summaries, builtin)
                VALUES (\(bind: map), 'Old', 'old.wad', 'maps/old.wad', 1, 'abc', 'PWAD', 'doom', '[]', \(bind: false))
                """).run()
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

    /// What a database from before episodes counted from 1 and events took the seed's names holds: a test run with an
    /// episode 0 (steps, a stored episode, events of the old shapes, a screenshot), and a map whose summary JSON has
    /// Swift's property names.
    @Test("runs and maps stored before EpisodesFromOne and SnakeCaseMapSummaries read as new ones after them", arguments: TestDatabase.available)
    func legacyRowsAreRewritten(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            try await Self.migrator(db, PlaytestMigrations.all()).revertAllBatches().get()
            let before = Array(PlaytestMigrations.all().prefix { !($0 is EpisodesFromOne) })
            try await Self.migrator(db, before).prepareBatch().get()
            let mapID = UUID()
            let summaries = #"[{"area":10,"bounds":{"maxX":1,"maxY":2,"minX":-1,"minY":-2},"counts":{"linedefs":4,"sectors":1,"sidedefs":4,"things":2,"vertices":4},"deathmatchStarts":0,"exits":1,"findings":{"error":0,"info":0,"warning":0},"format":"doom","name":"MAP01","playerStarts":1,"reachableSectors":1,"thingCounts":{"monster":1,"playerStart":1}}]"#
            try await db.engine.sql.raw("""
                INSERT INTO maps (id, name, filename, blob_key, size_bytes, sha256, wad_kind, formats, summaries, builtin)
                VALUES (\(bind: mapID), 'Old', 'old.wad', 'maps/old.wad', 1, 'abc', 'PWAD', 'doom', \(bind: summaries), \(bind: false))
                """).run()
            try await db.engine.sql.raw("""
                INSERT INTO runs (id, kind, status, map_id, map_name, agent, params, plan, target, created_at)
                VALUES ('test_old', 'testing', 'completed', \(bind: mapID), 'MAP01', 'random', '{"episodes":3}', '{"map_name":"MAP01"}', 1,
                        \(bind: RunFixtures.epoch))
                """).run()
            let tests = TestTelemetryStore(sql: db.engine)
            // The columns `run_steps` had then (no `keys`).
            try await db.engine.sql.raw("""
                INSERT INTO run_steps (run_id, episode_num, step, tic, x, y, angle, health, armor, ammo, weapon, killcount, action, reward)
                VALUES ('test_old', 0, 1, 4, 0, 0, 0, 100, 0, 50, 2, 0, 0, NULL), ('test_old', 0, 2, 8, 0, 0, 0, 60, 0, 48, 2, 1, 0, NULL)
                """).run()
            let legacyEvents = [
                #"{"frame":8,"timestamp":0.23,"type":"kill","x":0,"y":0,"killcount":1}"#,
                #"{"frame":8,"timestamp":0.23,"type":"ammo_used","x":0,"y":0,"weapon":2,"before":50,"after":48,"amount":2}"#,
                #"{"frame":8,"timestamp":0.23,"type":"health_lost","x":0,"y":0,"before":100,"after":60,"damage":40}"#,
            ]
            for (seq, data) in legacyEvents.enumerated() {
                let type = try #require(try StoredJSON.decode([String: JSONValue].self, from: data, table: "run_events")["type"]?.stringValue)
                try await db.engine.sql.raw("""
                    INSERT INTO run_events (run_id, episode_num, seq, frame, timestamp, type, x, y, data)
                    VALUES ('test_old', 0, \(bind: seq), 8, 0.23, \(bind: type), 0, 0, \(bind: data))
                    """).run()
            }
            try await db.engine.sql.raw("""
                INSERT INTO run_episodes (run_id, episode_num, metrics, log, created_at)
                VALUES ('test_old', 0,
                        '{"episode_num":0,"kills":1,"deaths":0,"duration_seconds":0.23,"health_lost":40,"ammo_used":2,"final_health":60,"exit_reached":false,"coverage":null,"end_reason":"timeout","secrets_found":0,"items_collected":0,"events":[]}',
                        '{"episode_num":0,"duration_seconds":0.23,"frames":8,"events":[],"health_timeline":[],"stuck_spots":[],"out_of_bounds":[]}',
                        \(bind: RunFixtures.epoch))
                """).run()
            // The artifacts table of that time: no replay column yet.
            try await db.engine.sql.raw("""
                INSERT INTO artifacts (id, run_id, kind, episode, tic, reason, blob_key, bytes, content_type, created_at)
                VALUES ('art_old', 'test_old', 'screenshot', 0, 8, 'death', 'runs/test_old/art_old.png', 2048, 'image/png',
                        \(bind: RunFixtures.epoch))
                """).run()

            try await db.engine.migrate()

            #expect(try await tests.finishedEpisodeCount(runID: "test_old") == 1)
            #expect(try await tests.steps(runID: "test_old", episode: 1).count == 2, "steps moved to episode 1")
            let episode = try #require(try await tests.episodes(runID: "test_old").first)
            #expect(episode.episodeNum == 1)
            #expect(episode.events.map(\.detail) == [
                .kill(killcount: 1, health: 60, ammo: 48), .ammoLost(weapon: 2, before: 50, after: 48, amount: 2),
                .healthLost(before: 100, after: 60, damage: 40),
            ])
            #expect(try await tests.episodeLog(runID: "test_old", episode: 1)?.episodeNum == 1)
            #expect(try await tests.artifacts(runID: "test_old").map(\.episode) == [1])
            let map = try #require(try await MapStore(sql: db.engine).record(id: mapID))
            let summary = try #require(map.mapSummaries.first, "the summary reads with its new keys")
            #expect(summary.thingCounts == ["monster": 1, "player_start": 1] && summary.playerStarts == 1 && summary.bounds.maxY == 2)
            // EpisodeFigureColumns filled the analysis columns from the episode's JSON.
            let figures = try #require(try await AnalysisStore(sql: db.engine).episodes(AnalysisFilter(mapIDs: [mapID])).first?.metrics)
            #expect(figures.kills == 1 && figures.healthLost == 40 && !figures.exitReached && figures.durationSeconds == 0.23 && figures.coverage == nil)
        }
    }

    static func migrator(_ db: TestDatabase, _ list: [any Migration]) -> Migrator {
        let migrations = Migrations()
        migrations.add(list)
        return Migrator(databases: db.engine.databases, migrations: migrations, logger: Logger(label: "test"),
                        on: db.engine.eventLoopGroup.any())
    }
}
