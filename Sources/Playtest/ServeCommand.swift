import ArgumentParser
import Logging
import PlaytestServer
import PlaytestServices
import PlaytestStorage
import PlaytestWorker

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API, the live WebSocket hub and the web pages.",
        discussion: "With no engine variables set this is the whole platform on one machine: SQLite, blobs and live state in the data folder and memory, and one embedded worker."
    )

    @Option(name: .long, help: "Embedded workers to run in this process (0 for an API-only instance).")
    var workers = 1

    @Option(name: .long, help: "Address to listen on (overrides HOST).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (overrides PORT).")
    var port: Int?

    func validate() throws {
        guard (0...64).contains(workers) else { throw ValidationError("--workers must be in 0...64") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be in 1...65535") }
    }

    func run() async throws {
        let env = Bootstrap.environment()
        let logger = Bootstrap.logging(env)
        var configuration = try Bootstrap.configuration(env)
        let timeLimits = try JobHandlers.timeLimits(env: env, options: [])
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let engines = try await Bootstrap.engines(configuration, logger: logger)
        let services = Bootstrap.services(engines, logger: logger)
        let options = ServerOptions(embeddedWorkers: workers)
        await Bootstrap.configuredAdmin(services, logger: logger)

        let vizdoom = BuiltinMaps.vizdoomDirectory(pythonPath: configuration.pythonPath)
        let server: HTTPServer
        do {
            server = try await HTTPServer(
                services: services, metrics: PlaytestMetrics.process, options: options, logger: logger)
        } catch {
            await engines.shutdown()
            throw StartupError(message: "cannot serve on \(configuration.host):\(configuration.port): \(error)")
        }
        logger.info("playtest serving on http://\(configuration.host):\(configuration.port)", metadata: [
            "database": "\(engines.sql.dialect.rawValue)", "live": "\(engines.live.engineName)",
            "blobs": "\(engines.blobs.engineName)", "workers": "\(workers)",
        ])
        await Bootstrap.announceSignIn(services, url: "http://\(configuration.host):\(configuration.port)", setupToken: options.setupTokenValue, logger: logger)

        if let vizdoom {
            Task { await BuiltinMaps.seed(into: services.maps, vizdoomDirectory: vizdoom, logger: logger) }
        } else {
            logger.warning("no vizdoom package next to \(configuration.pythonPath): built-in maps not added (run `make venv`)")
        }

        // Leaderboards and running agents' sessions come back by themselves when Redis restarts empty.
        let liveWatch = Task { await services.liveRebuild.watch() }
        // Player-progress events reach the analytics roll-ups within a second of their append.
        let rollupFold = Task { await services.playerAnalytics.foldContinuously(logger: logger) }

        var pool: WorkerPool?
        var poolTask: Task<Void, Never>?
        var evidencePool: WorkerPool?
        var evidenceTask: Task<Void, Never>?
        if workers > 0 {
            var handlers: [any JobHandler] = []
            do {
                handlers = try JobHandlers.all(services: services, timeLimits: timeLimits)
            } catch {
                logger.error("\(error); runs wait in the queue until a worker with an agent runtime claims them")
            }
            let embedded = WorkerPool(
                queue: engines.queue, registry: engines.workers, handlers: handlers,
                options: .init(concurrency: workers), logger: logger)
            pool = embedded
            poolTask = Task { await embedded.run() }
            if let evidence = JobHandlers.evidencePool(services: services, logger: logger) {
                evidencePool = evidence
                evidenceTask = Task { await evidence.run() }
            }
        }

        let signal = await ShutdownSignal.wait()
        logger.info("received signal \(signal), shutting down")
        pool?.shutdown()
        evidencePool?.shutdown()
        liveWatch.cancel()
        rollupFold.cancel()
        await server.shutdown()
        await poolTask?.value
        await evidenceTask?.value
        await engines.shutdown()
    }
}
