import Foundation
import Logging
import PlaytestStorage
@testable import PlaytestWorker
import PlaytestTestSupport
import Testing

/// A handler whose behaviour each test scripts.
struct ScriptedHandler: JobHandler {
    let kind = "scripted"
    let events: EventLog
    let body: @Sendable (Job) async throws -> Void

    func run(_ job: Job, context: JobContext) async throws {
        await events.append("start \(job.id)")
        do {
            try await body(job)
            await events.append("end \(job.id)")
        } catch is CancellationError {
            await events.append("cancelled \(job.id)")
            throw CancellationError()
        }
    }
}

actor EventLog {
    private(set) var entries: [String] = []
    func append(_ entry: String) {
        entries.append(entry)
    }
}

@Suite("WorkerPool", .serialized)
struct WorkerPoolTests {
    func withPool(
        options: WorkerPool.Options = .init(concurrency: 2, heartbeatInterval: .milliseconds(200), pollInterval: .milliseconds(100)),
        body: @escaping @Sendable (Job) async throws -> Void,
        _ test: (JobQueue, WorkerPool, EventLog) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString).sqlite").path
        let sql = try await SQLEngine.open(.sqlite(path: path), logger: logger)
        try await sql.migrate()
        let queue = JobQueue(sql: sql, retry: RetryPolicy(base: .milliseconds(10), maximum: .milliseconds(10), jitter: 0))
        let events = EventLog()
        let pool = WorkerPool(
            queue: queue, registry: WorkerRegistry(sql: sql), handlers: [ScriptedHandler(events: events, body: body)],
            options: options, logger: logger)
        let running = Task { await pool.run() }
        do {
            try await test(queue, pool, events)
        } catch {
            pool.shutdown()
            await running.value
            await sql.shutdown()
            throw error
        }
        pool.shutdown()
        await running.value
        await sql.shutdown()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func waitFor(_ queue: JobQueue, _ id: String, timeout: Duration = .seconds(30), _ predicate: (Job) -> Bool) async throws -> Job {
        try await Deadline.value("job \(id) to reach the expected state", within: timeout) {
            guard let job = try await queue.job(id: id), predicate(job) else { return nil }
            return job
        }
    }

    @Test("runs jobs to completion and registers itself")
    func completes() async throws {
        try await withPool(body: { _ in }) { queue, pool, events in
            for index in 0..<5 { try await queue.enqueue(NewJob(kind: "scripted", id: "ok-\(index)")) }
            for index in 0..<5 { _ = try await waitFor(queue, "ok-\(index)") { $0.state == .completed } }
            #expect(await events.entries.filter { $0.hasPrefix("end") }.count == 5)
            let alive = try await WorkerRegistry(sql: queue.sql).alive()
            #expect(alive.map(\.id).contains(pool.id))
        }
    }

    @Test("a failing job is retried, then discarded with its errors")
    func retries() async throws {
        struct Boom: Error {}
        try await withPool(body: { _ in throw Boom() }) { queue, _, events in
            try await queue.enqueue(NewJob(kind: "scripted", maxAttempts: 2, id: "bad"))
            let job = try await waitFor(queue, "bad") { $0.state == .discarded }
            #expect(job.attempt == 2)
            #expect(job.attemptErrors.count == 2)
            #expect(await events.entries.filter { $0 == "start bad" }.count == 2)
        }
    }

    @Test("cancelling a running job cancels its handler's task, and the job ends cancelled")
    func cancelRunning() async throws {
        try await withPool(
            options: .init(concurrency: 1),  // the default heartbeat
            body: { _ in try await Task.sleep(for: .seconds(60)) }
        ) { queue, _, events in
            try await queue.enqueue(NewJob(kind: "scripted", id: "long"))
            _ = try await waitFor(queue, "long") { $0.state == .running }
            #expect(try await queue.cancel(id: "long") == .stopRequested)
            _ = try await waitFor(queue, "long", timeout: .seconds(30)) { $0.state == .cancelled }
            // The heartbeat noticed the stop and cancelled the handler's task (how fast is bench/queue's business).
            #expect(await events.entries.contains("cancelled long"))
        }
    }

    @Test("shutdown lets a short job finish and releases a long one")
    func gracefulShutdown() async throws {
        try await withPool(
            options: .init(concurrency: 2, heartbeatInterval: .milliseconds(100), pollInterval: .milliseconds(50), shutdownGrace: .seconds(5)),
            body: { job in try await Task.sleep(for: job.id == "short" ? .milliseconds(100) : .seconds(600)) }
        ) { queue, pool, events in
            try await queue.enqueue(NewJob(kind: "scripted", id: "short"))
            try await queue.enqueue(NewJob(kind: "scripted", id: "long"))
            _ = try await waitFor(queue, "short") { $0.state == .running }
            _ = try await waitFor(queue, "long") { $0.state == .running }
            pool.shutdown()
            _ = try await waitFor(queue, "short") { $0.state == .completed }
            let long = try await waitFor(queue, "long") { $0.state == .available }
            #expect(long.attempt == 0, "a released job does not spend an attempt")
            #expect(await events.entries.contains("cancelled long"))
        }
    }
}

@Suite("WorkerPool recycling and health", .serialized)
struct WorkerPoolRecyclingTests {
    @Test("with --max-jobs the pool runs that many jobs, leaves the rest queued and ends by itself; its health says so")
    func recyclesAfterMaxJobs() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let sql = database.engine
            let logger = TestDatabase.quietLogger()
            let queue = JobQueue(sql: sql)
            for index in 0..<5 { try await queue.enqueue(NewJob(kind: "scripted", id: "job-\(index)")) }
            let events = EventLog()
            let pool = WorkerPool(
                queue: queue, registry: WorkerRegistry(sql: sql),
                handlers: [ScriptedHandler(events: events, body: { _ in try await Task.sleep(for: .milliseconds(50)) })],
                options: .init(concurrency: 2, heartbeatInterval: .milliseconds(100), pollInterval: .milliseconds(50),
                               maintenanceInterval: .milliseconds(200), maxJobs: 3),
                logger: logger)
            #expect(pool.health().ok == false, "no heartbeat has reached SQL yet")
            let running = Task { await pool.run() }
            let ended = try await Deadline.value("the pool to end after 3 jobs", within: .seconds(30)) { () async -> Bool? in
                pool.health().stopping && pool.runningJobs.isEmpty ? true : nil
            }
            #expect(ended)
            await running.value  // returns: nobody called shutdown()
            let jobs = try await queue.jobs(ids: (0..<5).map { "job-\($0)" })
            #expect(jobs.filter { $0.state == .completed }.count == 3)
            #expect(jobs.filter { $0.state == .available }.count == 2, "the rest wait for a fresh worker")
            let health = pool.health()
            #expect(health.jobsClaimed == 3)
            #expect(health.maxJobs == 3)
            #expect(health.stopping)
            #expect(health.ok, "its heartbeat reached SQL")
            #expect(try await WorkerRegistry(sql: sql).alive().map(\.id).contains(pool.id) == false, "it wrote its stop")
        }
    }
}

/// A periodic job kind for the pool tests.
struct PeriodicHandler: JobHandler {
    let kind = "periodic.test"
    let events: EventLog
    var period: Duration? { .seconds(3600) }

    func run(_ job: Job, context: JobContext) async throws {
        await events.append("ran \(job.id)")
    }
}

@Suite("WorkerPool periodic jobs", .serialized)
struct WorkerPoolPeriodicTests {
    @Test("two pools offer a periodic job; it runs once in its period")
    func runsOncePerPeriod() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let sql = database.engine
            let logger = TestDatabase.quietLogger()
            let queue = JobQueue(sql: sql)
            let events = EventLog()
            let pools = (0..<2).map { _ in
                WorkerPool(queue: queue, registry: WorkerRegistry(sql: sql), handlers: [PeriodicHandler(events: events)],
                           options: .init(concurrency: 1, pollInterval: .milliseconds(50), maintenanceInterval: .milliseconds(100)), logger: logger)
            }
            let running = pools.map { pool in Task { await pool.run() } }
            try await Deadline.wait("the periodic job to run") { await !events.entries.isEmpty }
            try await Task.sleep(for: .milliseconds(600))  // several maintenance rounds of both pools
            for pool in pools { pool.shutdown() }
            for task in running { await task.value }
            let entries = await events.entries
            #expect(entries.count == 1, "\(entries)")
        }
    }
}
