import ArgumentParser
import Foundation
import PlaytestCore
import PlaytestServer
import PlaytestServices
import PlaytestStorage
import PlaytestWorker

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run play-test and training jobs from the shared queue.",
        discussion: "Run as many as you like, on as many machines as you like, against the same DATABASE_URL. SIGTERM stops claiming, lets running jobs finish for the grace period, then releases them back to the queue."
    )

    @Option(name: .long, help: "Jobs this process runs at once.")
    var concurrency = 1

    @Option(name: .long, help: "Seconds running jobs get to finish after SIGTERM before they are released.")
    var grace = 10

    @Option(name: .long, help: "Serve GET /health and GET /metrics on this port (for probes and Prometheus).")
    var metricsPort: Int?

    @Option(name: .long, help: "Address for --metrics-port.")
    var metricsHost = "127.0.0.1"

    @Option(name: .long, help: "End the process after this many jobs, once they are done (a supervisor starts a fresh one).")
    var maxJobs: Int?

    @Option(name: .long, help: "Per run kind, an attempt's soft and hard time limit, e.g. test=30m/45m or train=6h (repeatable; PLAYTEST_TIME_LIMITS takes the same list).")
    var timeLimit: [String] = []

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...64") }
        guard (0...3600).contains(grace) else { throw ValidationError("--grace must be in 0...3600 seconds") }
        if let metricsPort, !(1...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be in 1...65535") }
        if let maxJobs, maxJobs < 1 { throw ValidationError("--max-jobs must be at least 1") }
        for spec in timeLimit { _ = try JobHandlers.timeLimits(env: [:], options: [spec]) }
    }

    func run() async throws {
        let env = Bootstrap.environment()
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let timeLimits = try JobHandlers.timeLimits(env: env, options: timeLimit)
        let metrics = PlaytestMetrics.process
        let engines = try await Bootstrap.engines(configuration, logger: logger)
        let handlers: [any JobHandler]
        do {
            handlers = try JobHandlers.all(services: .standard(engines: engines, logger: logger), timeLimits: timeLimits)
        } catch {
            await engines.shutdown()
            throw error
        }
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers, handlers: handlers,
            options: .init(concurrency: concurrency, shutdownGrace: .seconds(grace), maxJobs: maxJobs), logger: logger)
        var status: WorkerStatusServer?
        if let metricsPort {
            do {
                status = try await WorkerStatusServer(
                    host: metricsHost, port: metricsPort, metrics: metrics, metricsToken: configuration.access.metricsToken,
                    health: {
                        let health = pool.health()
                        return (health.ok, (try? PlaytestJSON.encoder().encode(health)) ?? Data("{}".utf8))
                    }, logger: logger)
            } catch {
                await engines.shutdown()
                throw StartupError(message: "cannot serve the worker's health and metrics on \(metricsHost):\(metricsPort): \(error)")
            }
        }
        let evidence = JobHandlers.evidencePool(services: .standard(engines: engines, logger: logger), logger: logger)
        let evidenceRunning = Task { await evidence?.run() }
        let running = Task { await pool.run() }
        // Ends on SIGTERM/SIGINT, or by itself once --max-jobs jobs are done.
        let signalled = Task {
            let signal = await ShutdownSignal.wait()
            if Task.isCancelled { return }
            logger.info("received signal \(signal)")
            pool.shutdown()
        }
        await running.value
        // A pool that ended by itself (--max-jobs) takes the evidence pool with it: the supervisor starts both anew.
        evidence?.shutdown()
        await evidenceRunning.value
        signalled.cancel()
        await status?.shutdown()
        await engines.shutdown()
    }
}
