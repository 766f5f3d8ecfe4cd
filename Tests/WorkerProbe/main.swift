// WorkerProbe: a `playtest worker` the run tests can start and SIGKILL mid-run (crash and rescue).
//
//   WorkerProbe <lease-ms>
//
// Engines come from the environment exactly as for `playtest worker` (DATABASE_URL, REDIS_URL, S3_*,
// PLAYTEST_DATA_DIR, PLAYTEST_PYTHON, PLAYTEST_AGENT_DIR); PLAYTEST_WORKSPACE_DIR, when set, is where
// the attempts' temporary folders go. Prints "ready <worker id>" once it claims jobs, runs the run
// handlers with the given lease until SIGTERM, then shuts down gracefully.
import Dispatch
import Foundation
import Logging
import PlaytestServices
import PlaytestStorage
import PlaytestWorker

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("WorkerProbe: \(message)\n".utf8))
    exit(2)
}

func runProbe() async {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2, let leaseMilliseconds = Int(arguments[1]), leaseMilliseconds > 0 else {
        fail("usage: WorkerProbe <lease-ms>")
    }
    let environment = ProcessInfo.processInfo.environment
    var logger = Logger(label: "worker-probe")
    logger.logLevel = environment["PLAYTEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning

    let configuration: PlaytestConfiguration
    do {
        configuration = try PlaytestConfiguration.load(from: environment)
    } catch {
        fail("configuration: \(error)")
    }
    let engines: PlaytestEngines
    do {
        engines = try await PlaytestEngines.open(configuration, migrate: configuration.isEmbedded, logger: logger)
    } catch {
        fail("cannot open the engines: \(error)")
    }
    let handlers: [any JobHandler]
    do {
        handlers = try RunJobHandler.all(
            services: Services(engines: engines, logger: logger), options: .init(workspaceParent: environment["PLAYTEST_WORKSPACE_DIR"]))
    } catch {
        await engines.shutdown()
        fail("\(error)")
    }
    let lease = Duration.milliseconds(leaseMilliseconds)
    let pool = WorkerPool(
        queue: engines.queue, registry: engines.workers, handlers: handlers,
        options: .init(
            concurrency: 1, lease: lease, heartbeatInterval: min(.milliseconds(500), lease / 4), pollInterval: .milliseconds(200),
            maintenanceInterval: min(.seconds(1), lease / 2), shutdownGrace: .seconds(10)),
        logger: logger)

    let (signals, continuation) = AsyncStream<Int32>.makeStream()
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        return source
    }
    let running = Task { await pool.run() }
    emit("ready \(pool.id)")
    for await _ in signals { break }
    pool.shutdown()
    await running.value
    sources.forEach { $0.cancel() }
    await engines.shutdown()
    emit("stopped")
}

await runProbe()
