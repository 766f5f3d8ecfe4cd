import Foundation
import Logging
import PlaytestCore
import PlaytestStorage
@testable import PlaytestWorker
import SQLKit

/// A private Playtest installation for one run test: a data folder (blobs, SQLite file) or a fresh
/// PostgreSQL database, the map library with the maps the tests play, a launcher, and worker pools.
final class RunHarness: Sendable {
    enum Database: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    static let postgresURL = ProcessInfo.processInfo.environment["PLAYTEST_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var databases: [Database] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    static let vizdoomDirectory = BuiltinMaps.vizdoomDirectory(pythonPath: AgentFixtures.python)

    let database: Database
    let configuration: PlaytestConfiguration
    let engines: PlaytestEngines
    let library: MapLibrary
    let launcher: RunLauncher
    let dataDirectory: String
    /// Where the attempts' temporary folders go, so a test can find its agents' processes.
    let workspaceDirectory: String
    let postgresDatabase: String?

    static func make(_ database: Database) async throws -> RunHarness {
        let data = try AgentFixtures.temporaryDirectory("run-harness")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var sql: PlaytestConfiguration.SQL = .sqlite(path: data + "/playtest.sqlite")
        var postgresDatabase: String?
        if database == .postgres, let url = postgresURL {
            let name = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let admin = try await SQLEngine.open(.postgres(url: url), logger: logger)
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
            await admin.shutdown()
            sql = .postgres(url: Self.replacingDatabase(in: url, with: name))
            postgresDatabase = name
        }
        let configuration = PlaytestConfiguration(
            dataDirectory: data, sql: sql, pythonPath: AgentFixtures.python, agentDirectory: AgentFixtures.repositoryRoot + "/agent")
        let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
        let library = MapLibrary(sql: engines.sql, blobs: engines.blobs)
        // Short: VizDoom cannot open files whose paths run past about 100 characters.
        let workspaces = "/tmp/ptw-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: workspaces, withIntermediateDirectories: true)
        return RunHarness(
            database: database, configuration: configuration, engines: engines, library: library,
            launcher: RunLauncher(engines: engines, library: library), dataDirectory: data, workspaceDirectory: workspaces,
            postgresDatabase: postgresDatabase)
    }

    private init(database: Database, configuration: PlaytestConfiguration, engines: PlaytestEngines, library: MapLibrary,
                 launcher: RunLauncher, dataDirectory: String, workspaceDirectory: String, postgresDatabase: String?) {
        self.database = database
        self.configuration = configuration
        self.engines = engines
        self.library = library
        self.launcher = launcher
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

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
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
        if let name = postgresDatabase, let url = Self.postgresURL {
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            if let admin = try? await SQLEngine.open(.postgres(url: url), logger: logger) {
                try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
                await admin.shutdown()
            }
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(atPath: workspaceDirectory)
    }

    // MARK: maps

    /// A bundled VizDoom scenario (e.g. `defend_the_center`) as a built-in map with its scenario.
    func importScenario(_ name: String) async throws -> MapRecord {
        guard let vizdoom = Self.vizdoomDirectory else { throw HarnessError("no vizdoom package next to \(AgentFixtures.python)") }
        return try await importWAD(vizdoom + "/scenarios/\(name).wad", name: name, scenario: name + ".cfg")
    }

    /// freedoom2.wad (an IWAD with MAP01–MAP32).
    func importFreedoom2() async throws -> MapRecord {
        guard let vizdoom = Self.vizdoomDirectory else { throw HarnessError("no vizdoom package next to \(AgentFixtures.python)") }
        return try await importWAD(vizdoom + "/freedoom2.wad", name: "Freedoom 2", scenario: nil)
    }

    func importWAD(_ path: String, name: String, scenario: String?) async throws -> MapRecord {
        let (sha, size) = try BuiltinMaps.fileDigest(path)
        return try await library.importWAD(
            fileAt: path, sha256: sha, sizeBytes: size, filename: (path as NSString).lastPathComponent, name: name,
            builtin: scenario != nil, scenario: scenario).record
    }

    // MARK: workers

    func services(options: RunServices.Options = .init()) throws -> RunServices {
        var options = options
        options.workspaceParent = workspaceDirectory
        let runtime = try AgentRuntime.locate(pythonPath: configuration.pythonPath, agentDirectory: configuration.agentDirectory)
        return RunServices(engines: engines, library: library, runtime: runtime, options: options)
    }

    /// Runs an in-process worker pool with the run handlers while `body` runs, then shuts it down.
    func withWorker<T>(lease: Duration = .seconds(10), _ body: (WorkerPool) async throws -> T) async throws -> T {
        var logger = Logger(label: "test-worker")
        logger.logLevel = ProcessInfo.processInfo.environment["PLAYTEST_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers, handlers: RunHandlers.all(services: try services()),
            options: .init(concurrency: 1, lease: lease, heartbeatInterval: .milliseconds(250), pollInterval: .milliseconds(100),
                           maintenanceInterval: .seconds(1), shutdownGrace: .seconds(10)),
            logger: logger)
        let running = Task { await pool.run() }
        do {
            let result = try await body(pool)
            pool.shutdown()
            await running.value
            return result
        } catch {
            pool.shutdown()
            await running.value
            throw error
        }
    }

    // MARK: reading

    var runs: RunStore { RunStore(sql: engines.sql) }
    var telemetry: RunTelemetryStore { RunTelemetryStore(sql: engines.sql) }

    /// Polls the run until `predicate` holds (or fails after `timeout`, naming the run's last state).
    func waitForRun(_ id: String, timeout: Duration = .seconds(120), _ predicate: (RunRecord) -> Bool) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        var last: RunRecord?
        while ContinuousClock.now < deadline {
            last = try await runs.run(id: id)
            if let run = last, predicate(run) { return run }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("run \(id) did not reach the expected state in \(timeout); last: \(last.map { "\($0.status.rawValue) progress \($0.progress) error \($0.error ?? "-")" } ?? "absent")")
    }

    /// Polls until `condition` returns true.
    func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out waiting for \(what)")
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

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
