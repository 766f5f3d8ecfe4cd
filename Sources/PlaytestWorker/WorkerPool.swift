import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import PlaytestCore
import PlaytestStorage

/// One worker process: `concurrency` slots that claim and run jobs, a heartbeat per running job that
/// renews its lease and notices stop requests, a rescuer for jobs whose worker died, and a row in
/// the `workers` table.
public final class WorkerPool: Sendable {
    public struct Options: Sendable {
        public var concurrency: Int
        public var queue: String
        public var lease: Duration
        public var heartbeatInterval: Duration
        public var pollInterval: Duration
        public var maintenanceInterval: Duration
        /// How long running jobs may take to finish after `shutdown()` before they are stopped and released.
        public var shutdownGrace: Duration
        /// After this many jobs the pool stops claiming and ends once its jobs are done, so that a supervisor starts a
        /// fresh process (Celery's `worker_max_tasks_per_child`); nil: never.
        public var maxJobs: Int?

        public init(
            concurrency: Int = 1, queue: String = "default", lease: Duration = .seconds(30),
            heartbeatInterval: Duration = .milliseconds(500), pollInterval: Duration = .seconds(1),
            maintenanceInterval: Duration = .seconds(5), shutdownGrace: Duration = .seconds(10), maxJobs: Int? = nil
        ) {
            self.maxJobs = maxJobs
            self.concurrency = concurrency
            self.queue = queue
            self.lease = lease
            self.heartbeatInterval = heartbeatInterval
            self.pollInterval = pollInterval
            self.maintenanceInterval = maintenanceInterval
            self.shutdownGrace = shutdownGrace
        }
    }

    public let id: String
    let queue: JobQueue
    let registry: WorkerRegistry
    let handlers: [String: any JobHandler]
    let kinds: [String]
    /// The kinds that run once per period, with their period.
    let periodic: [(String, Duration)]
    let options: Options
    let logger: Logger
    let startedAt: Int64
    private let state = NIOLockedValueBox(PoolState())

    private struct PoolState {
        var stopping = false
        var shutdownDeadline: ContinuousClock.Instant?
        var running: Set<String> = []
        /// Jobs claimed so far, and claims under way (a slot reserves one before it asks the queue).
        var claimed = 0
        var claiming = 0
        var lastHeartbeat: ContinuousClock.Instant?
    }

    /// What the worker's `/health` says.
    public struct Health: Sendable, Codable {
        public var worker: String
        public var ok: Bool
        public var stopping: Bool
        public var concurrency: Int
        public var runningJobs: [String]
        public var jobsClaimed: Int
        public var maxJobs: Int?
        /// Seconds since the worker last wrote its heartbeat to SQL; nil before the first.
        public var heartbeatAge: Double?

        enum CodingKeys: String, CodingKey {
            case worker, ok, stopping, concurrency
            case runningJobs = "running_jobs"
            case jobsClaimed = "jobs_claimed"
            case maxJobs = "max_jobs"
            case heartbeatAge = "heartbeat_age_s"
        }
    }

    /// Healthy while its heartbeat reaches SQL: within three maintenance intervals, or the lease when that is longer.
    public func health() -> Health {
        state.withLockedValue { state in
            let age = state.lastHeartbeat.map { ContinuousClock.now - $0 }
            let limit = max(options.maintenanceInterval * 3, options.lease)
            return Health(
                worker: id, ok: age.map { $0 <= limit } ?? false, stopping: state.stopping, concurrency: options.concurrency,
                runningJobs: state.running.sorted(), jobsClaimed: state.claimed, maxJobs: options.maxJobs,
                heartbeatAge: age.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 })
        }
    }

    public init(queue: JobQueue, registry: WorkerRegistry, handlers: [any JobHandler], options: Options, logger: Logger, id: String? = nil) {
        self.queue = queue
        self.registry = registry
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
        self.kinds = self.handlers.keys.sorted()
        self.periodic = self.handlers.values.compactMap { handler in handler.period.map { (handler.kind, $0) } }.sorted { $0.0 < $1.0 }
        self.options = options
        var logger = logger
        let id = id ?? Self.makeID()
        logger[metadataKey: "worker"] = "\(id)"
        self.logger = logger
        self.id = id
        self.startedAt = queue.clock.nowMilliseconds()
    }

    static func makeID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = UUID().uuidString.prefix(6).lowercased()
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    /// Ids of the jobs running now.
    public var runningJobs: Set<String> { state.withLockedValue { $0.running } }

    /// Runs until `shutdown()` has been called and the running jobs have ended, or the task is cancelled.
    public func run() async {
        logger.info("worker started", metadata: ["concurrency": "\(options.concurrency)", "queue": "\(options.queue)"])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, options.concurrency) {
                group.addTask { await self.slotLoop() }
            }
            group.addTask { await self.maintenanceLoop() }
            // The maintenance loop ends with the slots; wait for all of them.
            await group.waitForAll()
        }
        try? await registry.heartbeat(record(stoppedAt: queue.clock.nowMilliseconds()))
        logger.info("worker stopped")
    }

    /// Stops claiming. Running jobs get `shutdownGrace` to finish; then they are stopped and released
    /// back to the queue without counting the attempt.
    public func shutdown() {
        let wasStopping = state.withLockedValue { state -> Bool in
            defer {
                state.stopping = true
                state.shutdownDeadline = state.shutdownDeadline ?? ContinuousClock.now + options.shutdownGrace
            }
            return state.stopping
        }
        if !wasStopping { logger.info("worker shutting down", metadata: ["grace": "\(options.shutdownGrace)"]) }
        queue.wakeups.signal()
    }

    private var isStopping: Bool { state.withLockedValue { $0.stopping } || Task.isCancelled }

    private func slotLoop() async {
        while !isStopping {
            guard reserveClaim() else {
                drain()
                return
            }
            let generation = queue.wakeups.generation
            let jobs: [Job]
            do {
                jobs = try await queue.claim(workerID: id, queue: options.queue, kinds: kinds, limit: 1, lease: options.lease)
            } catch {
                endClaim(claimed: false)
                logger.error("claiming failed: \(DatabaseError.describe(error))")
                await queue.wakeups.wait(timeout: options.pollInterval)
                continue
            }
            endClaim(claimed: !jobs.isEmpty)
            if let job = jobs.first {
                await execute(job)
            } else {
                await queue.wakeups.wait(timeout: options.pollInterval, after: generation)
            }
        }
    }

    /// False once `maxJobs` jobs are claimed or being claimed.
    private func reserveClaim() -> Bool {
        state.withLockedValue { state in
            if let maxJobs = options.maxJobs, state.claimed + state.claiming >= maxJobs { return false }
            state.claiming += 1
            return true
        }
    }

    private func endClaim(claimed: Bool) {
        state.withLockedValue { state in
            state.claiming -= 1
            if claimed { state.claimed += 1 }
        }
    }

    /// Stops claiming once the job budget is spent; running jobs finish without a deadline.
    private func drain() {
        let first = state.withLockedValue { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first {
            logger.info("worker ran its \(options.maxJobs ?? 0) jobs; it ends when they are done, for a fresh process to take over")
            queue.wakeups.signal()
        }
    }

    private func maintenanceLoop() async {
        while true {
            let (stopping, idle) = state.withLockedValue { ($0.stopping, $0.running.isEmpty) }
            if (stopping && idle) || Task.isCancelled { return }
            do {
                try await registry.heartbeat(record(stoppedAt: nil))
                state.withLockedValue { $0.lastHeartbeat = ContinuousClock.now }
                for (kind, period) in periodic where !stopping {
                    try await queue.enqueuePeriodic(kind: kind, period: period, queue: options.queue)
                }
                for job in try await queue.rescueExpired() {
                    logger.warning("rescued job with expired lease", metadata: ["job": "\(job.id)", "state": "\(job.state.rawValue)"])
                }
            } catch {
                logger.error("worker maintenance failed: \(DatabaseError.describe(error))")
            }
            // Woken early by shutdown(), so stopping does not wait out the interval.
            await queue.wakeups.wait(timeout: stopping ? .milliseconds(100) : options.maintenanceInterval)
        }
    }

    private enum Outcome: Sendable {
        case succeeded
        case failed(any Error)
        case stopRequested
        case leaseLost
        case shutdown

        var name: String {
            switch self {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .stopRequested: "stopped"
            case .leaseLost: "lease_lost"
            case .shutdown: "released"
            }
        }
    }

    private func execute(_ job: Job) async {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        guard let handler = handlers[job.kind] else {
            logger.error("no handler for job kind")
            _ = try? await queue.fail(id: job.id, workerID: id, message: "no handler for job kind \(job.kind.debugDescription) on worker \(id)", permanent: true)
            return
        }
        state.withLockedValue { _ = $0.running.insert(job.id) }
        defer {
            let stopping = state.withLockedValue { state in
                _ = state.running.remove(job.id)
                return state.stopping
            }
            // A stopping pool's maintenance loop waits for the last job to end: tell it at once.
            if stopping { queue.wakeups.signal() }
        }
        logger.info("job started", metadata: ["attempt": "\(job.attempt)"])
        if let claimedAt = job.attemptedAt {  // from due (queued, or its retry's backoff over) to claimed
            Timer(label: "playtest_queue_wait_seconds", dimensions: [("kind", job.kind)])
                .recordMilliseconds(max(0, claimedAt - max(job.createdAt, job.scheduledAt)))
        }

        let context = JobContext(workerID: id, logger: logger)
        let outcome = await withTaskGroup(of: Outcome?.self) { group -> Outcome in
            group.addTask {
                do {
                    try await handler.run(job, context: context)
                    return .succeeded
                } catch {
                    return .failed(error)
                }
            }
            group.addTask { await self.watch(job) }
            // The first result decides; the watcher returns nil only when cancelled after the job ended.
            var decided: Outcome = .leaseLost
            if let first = await group.next(), let outcome = first { decided = outcome }
            group.cancelAll()
            await group.waitForAll()
            return decided
        }
        await record(outcome, of: job, logger: logger)
    }

    /// Renews the lease every `heartbeatInterval`; returns when the job must be interrupted.
    private func watch(_ job: Job) async -> Outcome? {
        while true {
            do {
                try await Task.sleep(for: options.heartbeatInterval)
            } catch {
                return nil
            }
            if let deadline = state.withLockedValue({ $0.shutdownDeadline }), ContinuousClock.now >= deadline {
                return .shutdown
            }
            do {
                switch try await queue.heartbeat(id: job.id, workerID: id, lease: options.lease) {
                case .held: continue
                case .stopRequested: return .stopRequested
                case .lost: return .leaseLost
                }
            } catch {
                // A database hiccup: keep the job; the lease covers several missed beats.
                logger.warning("heartbeat failed: \(DatabaseError.describe(error))")
            }
        }
    }

    private func record(_ outcome: Outcome, of job: Job, logger: Logger) async {
        Counter(label: "playtest_jobs_finished_total", dimensions: [("kind", job.kind), ("outcome", outcome.name)]).increment()
        // A database outage here would leave the job running until its lease ran out and another worker took it up
        // only to find the run ended: the outcome is retried for as long as the lease would have held it.
        let retry = OutageRetry(window: options.lease)
        do {
            try await retry.run("recording the job's outcome", logger: logger) { try await recordOnce(outcome, of: job, logger: logger) }
        } catch {
            logger.error("recording job outcome failed: \(DatabaseError.describe(error))")
        }
    }

    private func recordOnce(_ outcome: Outcome, of job: Job, logger: Logger) async throws {
        switch outcome {
        case .succeeded:
            try await queue.complete(id: job.id, workerID: id)
            logger.info("job completed")
        case .failed(let error):
            let permanent = error is PermanentJobError
            let message = DatabaseError.describe(error)
            let state = try await queue.fail(id: job.id, workerID: id, message: message, permanent: permanent)
            logger.error("job failed", metadata: ["error": "\(message)", "next": "\(state?.rawValue ?? "lost")"])
        case .stopRequested:
            try await queue.markCancelled(id: job.id, workerID: id)
            logger.info("job stopped on request")
        case .leaseLost:
            logger.warning("job lease lost; another worker owns it now")
        case .shutdown:
            try await queue.release(id: job.id, workerID: id)
            logger.info("job released at shutdown")
        }
    }

    private func record(stoppedAt: Int64?) -> WorkerRecord {
        let running = (try? PlaytestJSON.string(runningJobs.sorted())) ?? "[]"
        return WorkerRecord(
            id: id, hostname: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
            concurrency: options.concurrency, startedAt: startedAt, heartbeatAt: queue.clock.nowMilliseconds(),
            runningJobs: running, version: PlaytestVersion.current, stoppedAt: stoppedAt)
    }
}
