import FluentKit
import Foundation
import SQLKit
import Testing
@testable import PlaytestStorage

@Suite("RunStore")
struct RunStoreTests {
    @Test("a stored run reads back with its plan", arguments: TestDatabase.available)
    func roundTrip(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_a", mapID: map, target: 5, scenario: "defend_the_center.cfg")
            let run = try #require(try await RunStore(sql: db.engine).run(id: "test_a"))
            #expect(run.kind == .testing)
            #expect(run.status == .pending)
            #expect(run.target == 5)
            #expect(run.progress == 0)
            #expect(run.$map.id == map)
            #expect(try run.decodedPlan() == RunFixtures.plan(scenario: "defend_the_center.cfg", episodes: 5))
            #expect(run.createdAt != nil)
            #expect(try await RunStore(sql: db.engine).run(id: "test_missing") == nil)
        }
    }

    @Test("list filters by kind, status and map, pages newest first", arguments: TestDatabase.available)
    func listFiltersAndPages(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let mapA = try await RunFixtures.map(db, name: "A")
            let mapB = try await RunFixtures.map(db, name: "B")
            for index in 0..<5 { try await RunFixtures.run(db, id: "test_\(index)", mapID: mapA) }
            try await RunFixtures.run(db, id: "train_0", kind: .training, mapID: mapB)
            try await RunFixtures.run(db, id: "test_b", status: .completed, mapID: mapB)

            let all = try await store.list(RunFilter(), offset: 0, limit: 100)
            #expect(all.total == 7)
            #expect(all.runs.map { $0.id } == ["test_b", "train_0", "test_4", "test_3", "test_2", "test_1", "test_0"])

            let page = try await store.list(RunFilter(kind: .testing), offset: 2, limit: 2)
            #expect(page.total == 6)
            #expect(page.runs.map { $0.id } == ["test_3", "test_2"])

            #expect(try await store.list(RunFilter(kind: .training), offset: 0, limit: 10).runs.map { $0.id } == ["train_0"])
            #expect(try await store.list(RunFilter(status: .completed), offset: 0, limit: 10).runs.map { $0.id } == ["test_b"])
            let onB = try await store.list(RunFilter(kind: .testing, mapID: mapB), offset: 0, limit: 10)
            #expect(onB.runs.map { $0.id } == ["test_b"])
            #expect(onB.total == 1)
            let past = try await store.list(RunFilter(), offset: 50, limit: 10)
            #expect(past.runs.isEmpty)
            #expect(past.total == 7)
        }
    }

    @Test("markRunning moves pending and running runs only, and keeps the first start time", arguments: TestDatabase.available)
    func markRunning(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_p", mapID: map)
            let first = RunFixtures.epoch
            #expect(try await store.markRunning(id: "test_p", at: first))
            #expect(try await store.markRunning(id: "test_p", at: first.addingTimeInterval(60)))
            let run = try #require(try await store.run(id: "test_p"))
            #expect(run.status == .running)
            #expect(run.startedAt == first)

            for status in [RunRecord.Status.completed, .failed, .stopped, .stopping] {
                try await RunFixtures.run(db, id: "test_\(status.rawValue)", status: status, mapID: map)
                #expect(try await store.markRunning(id: "test_\(status.rawValue)", at: first) == false)
                #expect(try await store.run(id: "test_\(status.rawValue)")?.status == status)
            }
            #expect(try await store.markRunning(id: "test_absent", at: first) == false)
        }
    }

    @Test("finish records the first outcome and ignores later ones", arguments: TestDatabase.available)
    func finishIsIdempotent(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_f", mapID: map)
            _ = try await store.markRunning(id: "test_f", at: RunFixtures.epoch)
            let end = RunFixtures.epoch.addingTimeInterval(30)
            try await store.finish(id: "test_f", status: .failed, error: "agent crashed", stderrTail: "Traceback…", at: end)
            try await store.finish(id: "test_f", status: .completed, error: nil, stderrTail: nil, at: end.addingTimeInterval(5))
            let run = try #require(try await store.run(id: "test_f"))
            #expect(run.status == .failed)
            #expect(run.error == "agent crashed")
            #expect(run.stderrTail == "Traceback…")
            #expect(run.completedAt == end)
            await #expect(throws: RunStoreError.self) {
                try await store.finish(id: "test_f", status: .running, error: nil, stderrTail: nil, at: end)
            }
        }
    }

    @Test("requestStop returns only the active runs of the kind it changed", arguments: TestDatabase.available)
    func requestStop(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_pending", mapID: map)
            try await RunFixtures.run(db, id: "test_running", status: .running, mapID: map)
            try await RunFixtures.run(db, id: "test_done", status: .completed, mapID: map)
            try await RunFixtures.run(db, id: "train_running", kind: .training, status: .running, mapID: map)

            #expect(try await store.requestStop(ids: ["test_done"], kind: .testing) == [])
            #expect(try await store.run(id: "test_done")?.status == .completed)
            #expect(try await store.requestStop(ids: ["train_running"], kind: .testing) == [])
            #expect(try await store.requestStop(ids: [], kind: .testing) == [])
            #expect(try await store.requestStop(ids: ["test_running", "test_done"], kind: .testing) == ["test_running"])
            #expect(try await store.run(id: "test_running")?.status == .stopping)
            // Stopping twice changes nothing the second time; nil means every active run of the kind.
            #expect(try await store.requestStop(ids: nil, kind: .testing) == ["test_pending"])
            #expect(try await store.requestStop(ids: nil, kind: .testing) == [])
            #expect(try await store.run(id: "train_running")?.status == .running)
            #expect(try await store.markRunning(id: "test_pending", at: RunFixtures.epoch) == false)
            // A stopping run still finishes (as stopped).
            try await store.finish(id: "test_running", status: .stopped, error: nil, stderrTail: nil, at: RunFixtures.epoch)
            #expect(try await store.run(id: "test_running")?.status == .stopped)
        }
    }

    @Test("setProgress records progress and keeps the summary unless given", arguments: TestDatabase.available)
    func progress(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_g", mapID: map)
            try await store.setProgress(id: "test_g", progress: 1, summary: #"{"episodes":1}"#)
            try await store.setProgress(id: "test_g", progress: 2, summary: nil)
            let run = try #require(try await store.run(id: "test_g"))
            #expect(run.progress == 2)
            #expect(run.summary == #"{"episodes":1}"#)
            #expect(run.updatedAt != nil)
        }
    }

    @Test("deleting a run deletes its rows in every run table", arguments: TestDatabase.available)
    func deleteCascades(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let telemetry = RunTelemetryStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_x", mapID: map)
            try await RunFixtures.run(db, id: "test_keep", mapID: map)
            for id in ["test_x", "test_keep"] {
                try await RunTelemetryFixtures.fill(telemetry, runID: id)
            }
            try await store.delete(id: "test_x")
            #expect(try await store.run(id: "test_x") == nil)
            for table in RunTables.owned {
                #expect(try await Self.count(db, table: table, runID: "test_x") == 0, "\(table)")
                #expect(try await Self.count(db, table: table, runID: "test_keep") > 0, "\(table)")
            }
            try await store.delete(id: "test_x")
        }
    }

    @Test("deleting a run row directly cascades to its rows (the map library deletes runs that way)", arguments: TestDatabase.available)
    func foreignKeysCascade(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let telemetry = RunTelemetryStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_y", status: .completed, mapID: map)
            try await RunTelemetryFixtures.fill(telemetry, runID: "test_y")
            try await RunRecord.query(on: db.engine.database).filter(\.$id == "test_y").delete()
            for table in RunTables.owned {
                #expect(try await Self.count(db, table: table, runID: "test_y") == 0, "\(table)")
            }
        }
    }

    static func count(_ db: TestDatabase, table: String, runID: String) async throws -> Int {
        let row = try await db.engine.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE run_id = \(bind: runID)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
