import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
@testable import PlaytestWorker
import SQLKit

/// A private Playtest installation for one run test: a data folder (blobs, SQLite file) or a private PostgreSQL
/// database, the services on it with the maps the tests play, and worker pools.
final class RunHarness: Sendable {
    typealias Database = TestDatabase.Kind

    static var databases: [Database] { TestDatabase.available }
    static let vizdoomDirectory = Repository.vizdoomDirectory

    let database: Database
    let configuration: PlaytestConfiguration
    let engines: PlaytestEngines
    let services: Services
    let dataDirectory: String
    /// Where the attempts' temporary folders go, so a test can find its agents' processes.
    let workspaceDirectory: String
    let postgresDatabase: PrivateDatabase?

    var launcher: RunLauncher { services.launcher }

    static func make(_ database: Database) async throws -> RunHarness {
        let data = try AgentFixtures.temporaryDirectory("run-harness")
        let logger = TestDatabase.quietLogger()
        var sql: PlaytestConfiguration.SQL = .sqlite(path: data + "/playtest.sqlite")
        var postgresDatabase: PrivateDatabase?
        if database == .postgres {
            let created = try await PrivateDatabase.create()
            sql = .postgres(url: created.url)
            postgresDatabase = created
        }
        let configuration = PlaytestConfiguration(
            dataDirectory: data, sql: sql, pythonPath: Repository.python, agentDirectory: Repository.agentDirectory)
        let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
        // Short: VizDoom cannot open files whose paths run past about 100 characters.
        let workspaces = "/tmp/ptw-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: workspaces, withIntermediateDirectories: true)
        return RunHarness(
            database: database, configuration: configuration, engines: engines, services: Services(engines: engines, logger: logger),
            dataDirectory: data, workspaceDirectory: workspaces, postgresDatabase: postgresDatabase)
    }

    private init(database: Database, configuration: PlaytestConfiguration, engines: PlaytestEngines, services: Services,
                 dataDirectory: String, workspaceDirectory: String, postgresDatabase: PrivateDatabase?) {
        self.database = database
        self.configuration = configuration
        self.engines = engines
        self.services = services
        self.dataDirectory = dataDirectory
        self.workspaceDirectory = workspaceDirectory
        self.postgresDatabase = postgresDatabase
    }

    /// Runs `body` with a fresh harness and always closes it.
    static func with<T>(_ database: Database, _ body: (RunHarness) async throws -> T) async throws -> T {
        let harness = try await make(database)
        do {
            let result = try await body(harness)
            await harness.close()
            return result
        } catch {
            await harness.close()
            throw error
        }
    }

    /// The environment a WorkerProbe needs to open the same engines.
    var probeEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PLAYTEST_DATA_DIR"] = dataDirectory
        env["PLAYTEST_PYTHON"] = configuration.pythonPath
        env["PLAYTEST_AGENT_DIR"] = configuration.agentDirectory
        env["PLAYTEST_WORKSPACE_DIR"] = workspaceDirectory
        env["PLAYTEST_LOG_LEVEL"] = "info"
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "REDIS_URL")
        for key in ["S3_ENDPOINT", "S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY"] { env.removeValue(forKey: key) }
        if case .postgres(let url) = configuration.sql { env["DATABASE_URL"] = url }
        return env
    }

    func close() async {
        killAgents()
        await engines.shutdown()
        await postgresDatabase?.drop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(atPath: workspaceDirectory)
    }

    // MARK: maps

    /// A bundled VizDoom scenario (e.g. `defend_the_center`) as a built-in map with its scenario.
    func importScenario(_ name: String) async throws -> MapView {
        guard let vizdoom = Self.vizdoomDirectory else { throw LaunchError("no vizdoom package in \(Repository.python)'s venv") }
        return try await services.maps.importWAD(fileAt: vizdoom + "/scenarios/\(name).wad", name: name, builtin: true, scenario: name + ".cfg").map
    }

    /// freedoom2.wad (an IWAD with MAP01–MAP32).
    func importFreedoom2() async throws -> MapView {
        guard let vizdoom = Self.vizdoomDirectory else { throw LaunchError("no vizdoom package in \(Repository.python)'s venv") }
        return try await services.maps.importWAD(fileAt: vizdoom + "/freedoom2.wad", name: "Freedoom 2").map
    }

    /// The stored file of a library map (a test may damage it).
    func blobKey(of map: MapView) -> String { MapLibrary.blobKey(sha256: map.sha256) }

    // MARK: workers

    func handlerContext(options: RunHandlerContext.Options = .init(), runtime: AgentRuntime? = nil) throws -> RunHandlerContext {
        var options = options
        options.workspaceParent = workspaceDirectory
        let runtime = try runtime ?? AgentRuntime.locate(pythonPath: configuration.pythonPath, agentDirectory: configuration.agentDirectory)
        return RunHandlerContext(services: services, runtime: runtime, options: options)
    }

    /// Runs an in-process worker pool with the run handlers while `body` runs, then shuts it down. `runtime` replaces
    /// the venv's agent (a fake one for signal cases).
    func withWorker<T>(
        lease: Duration = .seconds(10), timeLimits: RunTimeLimits = .standard, runtime: AgentRuntime? = nil,
        evidence: EvidenceJobHandler.ReplayLimit? = nil, _ body: (WorkerPool) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test-worker")
        logger.logLevel = ProcessInfo.processInfo.environment["PLAYTEST_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        // A stopped agent gets a minute, not the product's 5 s, before SIGKILL: a loaded box can take longer than 5 s to
        // save a training run's final checkpoint, and what the tests check is that it is kept, not how fast.
        let context = try handlerContext(options: .init(stopGrace: .seconds(60), timeLimits: timeLimits), runtime: runtime)
        // With `evidence`, a second pool makes completed runs' evidence (`run.evidence`) with that replay limit.
        let evidencePool = evidence.map { limit in
            WorkerPool(queue: engines.queue, registry: engines.workers, handlers: [EvidenceJobHandler(context: context, limit: limit)],
                       options: .init(concurrency: 1, queue: RunEvidence.queue, lease: lease, heartbeatInterval: .milliseconds(250),
                                      pollInterval: .milliseconds(100), maintenanceInterval: .seconds(1), shutdownGrace: .seconds(10)),
                       logger: logger)
        }
        let evidenceRunning = Task { await evidencePool?.run() }
        defer { evidencePool?.shutdown() }
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers,
            handlers: RunJobHandler.all(context: context),
            options: .init(concurrency: 1, lease: lease, heartbeatInterval: .milliseconds(250), pollInterval: .milliseconds(100),
                           maintenanceInterval: .seconds(1), shutdownGrace: .seconds(10)),
            logger: logger)
        let running = Task { await pool.run() }
        do {
            let result = try await body(pool)
            pool.shutdown()
            evidencePool?.shutdown()
            await running.value
            await evidenceRunning.value
            return result
        } catch {
            pool.shutdown()
            evidencePool?.shutdown()
            await running.value
            await evidenceRunning.value
            throw error
        }
    }

    // MARK: reading

    var runs: RunStore { RunStore(sql: engines.sql) }
    var tests: TestTelemetryStore { TestTelemetryStore(sql: engines.sql) }
    var trainings: TrainingTelemetryStore { TrainingTelemetryStore(sql: engines.sql) }

    /// Polls the run until `predicate` holds (the deadline only guards against a hang).
    func waitForRun(_ id: String, timeout: Duration = .seconds(120), _ predicate: (RunRecord) -> Bool) async throws -> RunRecord {
        try await Deadline.value("run \(id) to reach the expected state", within: timeout, every: .milliseconds(100)) {
            guard let run = try await runs.run(id: id), predicate(run) else { return nil }
            return run
        }
    }

    func job(of run: RunRecord) async throws -> Job? {
        guard let id = run.jobID else { return nil }
        return try await engines.queue.job(id: id)
    }

    /// (episode, step) pairs stored for the run, in order.
    func storedSteps(_ runID: String) async throws -> [(episode: Int, step: Int)] {
        try await engines.sql.sql.raw("SELECT episode_num, step FROM run_steps WHERE run_id = \(bind: runID) ORDER BY episode_num, step")
            .all().map { (try $0.decode(column: "episode_num", as: Int.self), try $0.decode(column: "step", as: Int.self)) }
    }

    // MARK: agent processes

    /// Pids of agent processes (and their VizDoom engines) playing in this harness's workspaces.
    func agentPIDs() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            // The agent names its config in our workspace folder, its VizDoom engine the WAD there.
            guard command.contains(workspaceDirectory) else { return nil }
            return pid
        }
    }

    /// SIGKILLs the agents (and their engines, in their process groups) a killed worker left behind.
    func killAgents() {
        for pid in agentPIDs() {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
    }
}
