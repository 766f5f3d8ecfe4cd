import ArgumentParser
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

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...64") }
        guard (0...3600).contains(grace) else { throw ValidationError("--grace must be in 0...3600 seconds") }
    }

    func run() async throws {
        let env = Bootstrap.environment()
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let engines = try await Bootstrap.engines(configuration, logger: logger)
        let handlers: [any JobHandler]
        do {
            handlers = try JobHandlers.all(services: .standard(engines: engines, logger: logger))
        } catch {
            await engines.shutdown()
            throw error
        }
        let pool = WorkerPool(
            queue: engines.queue, registry: engines.workers, handlers: handlers,
            options: .init(concurrency: concurrency, shutdownGrace: .seconds(grace)), logger: logger)
        let running = Task { await pool.run() }
        let signal = await ShutdownSignal.wait()
        logger.info("received signal \(signal)")
        pool.shutdown()
        await running.value
        await engines.shutdown()
    }
}
