import Foundation
import Logging
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport

/// Services on private embedded engines (SQLite in a temporary folder, live state in memory), or on PostgreSQL when
/// asked for and configured.
struct ServicesHarness: Sendable {
    let engines: PlaytestEngines
    let services: Services
    let folder: String

    /// `configure` changes the configuration first (a Redis live store, a short session TTL).
    static func with<T>(_ database: TestDatabase.Kind = .sqlite, configure: (inout PlaytestConfiguration) -> Void = { _ in },
                        _ body: (ServicesHarness) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-services-\(UUID().uuidString)").path
        var configuration = PlaytestConfiguration(dataDirectory: folder)
        configure(&configuration)
        var privateDatabase: PrivateDatabase?
        if database == .postgres {
            let created = try await PrivateDatabase.create()
            privateDatabase = created
            configuration.sql = .postgres(url: created.url)
        }
        let logger = TestDatabase.quietLogger()
        let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
        let harness = ServicesHarness(engines: engines, services: Services(engines: engines, logger: logger), folder: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let result = try await body(harness)
            await engines.shutdown()
            await privateDatabase?.drop()
            return result
        } catch {
            await engines.shutdown()
            await privateDatabase?.drop()
            throw error
        }
    }

    /// A library entry with one map, `MAP01`, whose file is not needed by the test.
    func addMap(name: String = "Test map") async throws -> MapRecord {
        let record = try MapRecord(
            name: name, filename: "test.wad", blobKey: "maps/test.wad", sizeBytes: 1, sha256: UUID().uuidString,
            wadKind: "PWAD", formats: ["doom"], summaries: [], builtin: false, scenario: nil)
        return try await MapStore(sql: engines.sql).insert(record).record
    }

    /// A pending run of `kind` on `map`, with its queued job, as the launcher stores one.
    func addRun(_ kind: RunKind, on map: MapRecord, target: Int = 3) async throws -> String {
        let id = RunIDs.make(kind.idPrefix)
        let jobID = UUID().uuidString.lowercased()
        let plan = RunPlan(mapName: "MAP01", agent: kind == .testing ? "random" : "dqn")
        let run = RunRecord(
            id: id, kind: kind, mapID: try map.requireID(), mapName: "MAP01", agent: plan.agent, plan: try plan.json(), target: target,
            jobID: jobID)
        try await services.lifecycle.create(run, job: NewJob(
            kind: RunJob.kind(for: kind), payload: try StoredJSON.encode(RunJob.Payload(runID: id)), maxAttempts: RunJob.maxAttempts, id: jobID))
        return id
    }

    func status(_ id: String) async throws -> RunStatus? {
        try await RunStore(sql: engines.sql).status(id: id)
    }
}
