import FluentKit
import Foundation
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

@Suite("RunStore")
struct RunStoreTests {
    @Test("a stored run reads back", arguments: TestDatabase.available)
    func roundTrip(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_a", mapID: map, target: 5)
            let run = try #require(try await RunStore(sql: db.engine).run(id: "test_a"))
            #expect(run.kind == .testing)
            #expect(run.status == .pending)
            #expect(run.target == 5)
            #expect(run.progress == 0)
            #expect(run.$map.id == map)
            #expect(run.plan == #"{"map_name":"MAP01"}"#)
            #expect(try await RunStore(sql: db.engine).status(id: "test_a") == .pending)
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

            let all = try await store.list(kind: nil, status: nil, mapID: nil, offset: 0, limit: 100)
            #expect(all.total == 7)
            #expect(all.runs.map { $0.id } == ["test_b", "train_0", "test_4", "test_3", "test_2", "test_1", "test_0"])
            #expect(try all.runs.map { try $0.requireLibraryMap().name } == ["B", "B", "A", "A", "A", "A", "A"])
            // Read by name from the row, every column is what Fluent's own decoding of the same row gives, and a column
            // added to the models must be read there too.
            #expect(Set(MapRecord.keys.map(\.description)) == Set(MapRecord.rowColumns))
            #expect(Set(RunRecord.keys.map(\.description)) == Set(RunRecord.rowColumns))
            _ = try await store.finish(
                id: "test_0", status: .stopped, from: [.pending], error: "boom", stderrTail: "tail", summary: #"{"k":1}"#, at: Date())
            for row in try await store.list(kind: nil, status: nil, mapID: nil, offset: 0, limit: 100).runs {
                let id = try #require(row.id)
                let fluent = try #require(try await RunRecord.query(on: db.engine.database).filter(\.$id == id).with(\.$map).first())
                #expect(row.id == fluent.id && row.kind == fluent.kind && row.status == fluent.status && row.$map.id == fluent.$map.id)
                #expect(row.mapName == fluent.mapName && row.agent == fluent.agent && row.checkpoint == fluent.checkpoint)
                #expect(row.params == fluent.params && row.plan == fluent.plan && row.target == fluent.target && row.progress == fluent.progress)
                #expect(row.summary == fluent.summary && row.stderrTail == fluent.stderrTail && row.jobID == fluent.jobID && row.error == fluent.error)
                #expect(row.createdAt == fluent.createdAt && row.startedAt == fluent.startedAt)
                #expect(row.completedAt == fluent.completedAt && row.updatedAt == fluent.updatedAt)
                let (map, fluentMap) = (try row.requireLibraryMap(), try fluent.requireLibraryMap())
                #expect(map.id == fluentMap.id && map.name == fluentMap.name && map.filename == fluentMap.filename && map.blobKey == fluentMap.blobKey)
                #expect(map.sizeBytes == fluentMap.sizeBytes && map.sha256 == fluentMap.sha256 && map.wadKind == fluentMap.wadKind)
                #expect(map.formats == fluentMap.formats && map.summaries == fluentMap.summaries && map.builtin == fluentMap.builtin)
                #expect(map.scenario == fluentMap.scenario && map.uploadedAt == fluentMap.uploadedAt)
                #expect(try await store.run(id: id, withMap: true)?.requireLibraryMap().sha256 == map.sha256)
            }

            let page = try await store.list(kind: .testing, status: nil, mapID: nil, offset: 2, limit: 2)
            #expect(page.total == 6)
            #expect(page.runs.map { $0.id } == ["test_3", "test_2"])

            #expect(try await store.list(kind: .training, status: nil, mapID: nil, offset: 0, limit: 10).runs.map { $0.id } == ["train_0"])
            #expect(try await store.list(kind: nil, status: .completed, mapID: nil, offset: 0, limit: 10).runs.map { $0.id } == ["test_b"])
            let onB = try await store.list(kind: .testing, status: nil, mapID: mapB, offset: 0, limit: 10)
            #expect(onB.runs.map { $0.id } == ["test_b"])
            #expect(onB.total == 1)
            let past = try await store.list(kind: nil, status: nil, mapID: nil, offset: 50, limit: 10)
            #expect(past.runs.isEmpty)
            #expect(past.total == 7)
        }
    }

    @Test("markRunning moves runs from the statuses it is given only, and keeps the first start time", arguments: TestDatabase.available)
    func markRunning(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_p", mapID: map)
            let first = RunFixtures.epoch
            let sources = RunStatus.sources(of: .running)
            #expect(try await store.markRunning(id: "test_p", from: sources, at: first))
            #expect(try await store.markRunning(id: "test_p", from: sources, at: first.addingTimeInterval(60)))
            let run = try #require(try await store.run(id: "test_p"))
            #expect(run.status == .running)
            #expect(run.startedAt == first)

            for status in [RunStatus.completed, .failed, .stopped, .stopping] {
                try await RunFixtures.run(db, id: "test_\(status.rawValue)", status: status, mapID: map)
                #expect(try await store.markRunning(id: "test_\(status.rawValue)", from: sources, at: first) == false)
                #expect(try await store.status(id: "test_\(status.rawValue)") == status)
            }
            #expect(try await store.markRunning(id: "test_absent", from: sources, at: first) == false)
        }
    }

    @Test("finish moves a run from the statuses it is given only, keeping the first outcome", arguments: TestDatabase.available)
    func finishIsIdempotent(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_f", mapID: map)
            _ = try await store.markRunning(id: "test_f", from: [.pending], at: RunFixtures.epoch)
            let end = RunFixtures.epoch.addingTimeInterval(30)
            #expect(try await store.finish(
                id: "test_f", status: .failed, from: RunStatus.sources(of: .failed), error: "agent crashed", stderrTail: "Traceback…", at: end))
            #expect(try await store.finish(
                id: "test_f", status: .completed, from: RunStatus.sources(of: .completed), error: nil, stderrTail: nil, progress: 3,
                summary: "{}", at: end.addingTimeInterval(5)) == false)
            let run = try #require(try await store.run(id: "test_f"))
            #expect(run.status == .failed)
            #expect(run.summary == nil && run.progress == 0)
            #expect(run.error == "agent crashed")
            #expect(run.stderrTail == "Traceback…")
            #expect(run.completedAt == end)
            await #expect(throws: RunStoreError.self) {
                try await store.finish(id: "test_f", status: .running, from: [.failed], error: nil, stderrTail: nil, at: end)
            }
            // A completed run records its progress and summary.
            try await RunFixtures.run(db, id: "test_c", status: .running, mapID: map)
            #expect(try await store.finish(id: "test_c", status: .completed, from: [.running], error: nil, stderrTail: nil, progress: 3,
                                           summary: #"{"episodes":3}"#, at: end))
            let completed = try #require(try await store.run(id: "test_c"))
            #expect(completed.progress == 3 && completed.summary == #"{"episodes":3}"#)
            // Back to pending (a retried job) clears the outcome.
            #expect(try await store.reopen(id: "test_f", from: [.failed]))
            let reopened = try #require(try await store.run(id: "test_f"))
            #expect(reopened.status == .pending && reopened.error == nil && reopened.completedAt == nil)
        }
    }

    @Test("markStopping returns only the active runs of the kind it changed", arguments: TestDatabase.available)
    func markStopping(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_pending", mapID: map)
            try await RunFixtures.run(db, id: "test_running", status: .running, mapID: map)
            try await RunFixtures.run(db, id: "test_done", status: .completed, mapID: map)
            try await RunFixtures.run(db, id: "train_running", kind: .training, status: .running, mapID: map)

            let sources = RunStatus.sources(of: .stopping)
            #expect(try await store.markStopping(ids: ["test_done"], kind: .testing, from: sources) == [])
            #expect(try await store.status(id: "test_done") == .completed)
            #expect(try await store.markStopping(ids: ["train_running"], kind: .testing, from: sources) == [])
            #expect(try await store.markStopping(ids: [], kind: .testing, from: sources) == [])
            #expect(try await store.markStopping(ids: ["test_running", "test_done"], kind: .testing, from: sources) == ["test_running"])
            #expect(try await store.status(id: "test_running") == .stopping)
            // Stopping twice changes nothing the second time; nil means every active run of the kind.
            #expect(try await store.markStopping(ids: nil, kind: .testing, from: sources) == ["test_pending"])
            #expect(try await store.markStopping(ids: nil, kind: .testing, from: sources) == [])
            #expect(try await store.status(id: "train_running") == .running)
            #expect(try await store.markRunning(id: "test_pending", from: RunStatus.sources(of: .running), at: RunFixtures.epoch) == false)
            // A stopping run still finishes (as stopped).
            #expect(try await store.finish(id: "test_running", status: .stopped, from: RunStatus.sources(of: .stopped), error: nil,
                                           stderrTail: nil, at: RunFixtures.epoch))
            #expect(try await store.status(id: "test_running") == .stopped)
        }
    }

    @Test("setProgress records progress", arguments: TestDatabase.available)
    func progress(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_g", mapID: map)
            try await store.setProgress(id: "test_g", progress: 1)
            try await store.setProgress(id: "test_g", progress: 2)
            let run = try #require(try await store.run(id: "test_g"))
            #expect(run.progress == 2)
            #expect(run.summary == nil)
            #expect(run.updatedAt != nil)
        }
    }

    @Test("deleting a run deletes its rows in every run table", arguments: TestDatabase.available)
    func deleteCascades(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_x", mapID: map)
            try await RunFixtures.run(db, id: "test_keep", mapID: map)
            for id in ["test_x", "test_keep"] {
                try await RunTelemetryFixtures.fill(db.engine, runID: id)
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
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_y", status: .completed, mapID: map)
            try await RunTelemetryFixtures.fill(db.engine, runID: "test_y")
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
