import Foundation
import PlaytestCore
import Logging
import SQLKit

/// The durable job queue on the SQL database.
///
/// Claiming is one statement: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` inside an UPDATE, so
/// many workers in many processes never claim the same job; on SQLite the database's single writer
/// makes the same UPDATE atomic. A claimed job carries a lease (`locked_by`, `locked_until`) that the
/// worker renews with `heartbeat`; `rescueExpired` returns jobs whose worker died. Every write by a
/// worker is guarded by `locked_by`, so a worker that lost its lease cannot overwrite the job.
public struct JobQueue: Sendable {
    public let sql: SQLEngine
    public let clock: any JobClock
    public let retry: RetryPolicy
    public let wakeups: JobWakeups
    private let random: @Sendable () -> Double

    public init(
        sql: SQLEngine, clock: any JobClock = SystemJobClock(), retry: RetryPolicy = RetryPolicy(),
        wakeups: JobWakeups = JobWakeups(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.sql = sql
        self.clock = clock
        self.retry = retry
        self.wakeups = wakeups
        self.random = random
    }

    private var db: any SQLDatabase { sql.sql }

    // MARK: producers

    @discardableResult
    public func enqueue(_ new: NewJob) async throws -> Job {
        let rows = try await insert(new, conflict: "")
        try await notifyAvailable(queue: new.queue)
        return try decodeOne(rows, id: new.id)
    }

    /// Adds the job unless one with its id was ever added (a job that follows from an event, offered again when the
    /// event's owner retries). Returns true when this call added it.
    @discardableResult
    public func enqueueOnce(_ new: NewJob) async throws -> Bool {
        let rows = try await insert(new, conflict: "ON CONFLICT (id) DO NOTHING")
        if !rows.isEmpty { try await notifyAvailable(queue: new.queue) }
        return !rows.isEmpty
    }

    private func insert(_ new: NewJob, conflict: String) async throws -> [any SQLRow] {
        guard new.maxAttempts >= 1 else { throw JobQueueError.invalid("max_attempts must be at least 1") }
        guard !new.kind.isEmpty else { throw JobQueueError.invalid("a job needs a kind") }
        let now = clock.nowMilliseconds()
        return try await db.raw("""
            INSERT INTO jobs (id, kind, queue, payload, state, priority, attempt, max_attempts, scheduled_at,
                created_at, cancel_requested, errors)
            VALUES (\(bind: new.id), \(bind: new.kind), \(bind: new.queue), \(bind: new.payload), 'available',
                \(bind: new.priority), 0, \(bind: new.maxAttempts), \(bind: new.scheduledAt ?? now), \(bind: now),
                \(bind: false), '[]')
            \(unsafeRaw: conflict) RETURNING *
            """).all()
    }

    /// Offers the job of the current period of a periodic kind: its id is the kind and the period's start, so however
    /// many workers offer it, the queue keeps one, due at the period's start. Returns true when this call added it.
    @discardableResult
    public func enqueuePeriodic(kind: String, period: Duration, queue: String = "default") async throws -> Bool {
        let length = max(1, period.components.seconds * 1000 + period.components.attoseconds / 1_000_000_000_000_000)
        let now = clock.nowMilliseconds()
        let start = now - now % length
        return try await enqueueOnce(NewJob(kind: kind, queue: queue, priority: 10, scheduledAt: start, id: "\(kind)@\(start)"))
    }

    /// Asks a job to stop. A queued job is cancelled at once; a running one is flagged and its worker
    /// notices on its next heartbeat (every 0.5 s) and stops it.
    public func cancel(id: String) async throws -> CancelOutcome {
        let now = clock.nowMilliseconds()
        let queued = try await db.raw("""
            UPDATE jobs SET state = 'cancelled', finalized_at = \(bind: now)
            WHERE id = \(bind: id) AND state IN ('available', 'retryable') RETURNING id
            """).all()
        if !queued.isEmpty { return .cancelled }
        let running = try await db.raw("""
            UPDATE jobs SET cancel_requested = \(bind: true) WHERE id = \(bind: id) AND state = 'running' RETURNING id
            """).all()
        if !running.isEmpty { return .stopRequested }
        guard let job = try await job(id: id) else { return .notFound }
        return .alreadyFinal(job.state)
    }

    /// Puts a discarded or cancelled job back in the queue with one more attempt allowed.
    public func retry(id: String) async throws -> Bool {
        let now = clock.nowMilliseconds()
        let rows = try await db.raw("""
            UPDATE jobs SET state = 'available', scheduled_at = \(bind: now), finalized_at = NULL,
                cancel_requested = \(bind: false),
                max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
            WHERE id = \(bind: id) AND state IN ('discarded', 'cancelled') RETURNING queue
            """).all()
        guard let queue = try rows.first?.decode(column: "queue", as: String.self) else { return false }
        try await notifyAvailable(queue: queue)
        return true
    }

    // MARK: workers

    /// Claims up to `limit` ready jobs of `queue` whose kind is in `kinds`, for `workerID`, leased for `lease`.
    /// A worker only claims kinds it has handlers for.
    public func claim(workerID: String, queue: String = "default", kinds: [String], limit: Int = 1, lease: Duration) async throws -> [Job] {
        guard !kinds.isEmpty, limit > 0 else { return [] }
        let now = clock.nowMilliseconds()
        let until = now + lease.milliseconds
        let rows: [any SQLRow]
        switch sql.dialect {
        case .postgres:
            rows = try await db.raw("""
                WITH ready AS (
                    SELECT id FROM jobs
                    WHERE queue = \(bind: queue) AND state IN ('available', 'retryable') AND scheduled_at <= \(bind: now)
                        AND kind IN (\(binds: kinds))
                    ORDER BY priority, scheduled_at, id
                    LIMIT \(bind: limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE jobs SET state = 'running', attempt = jobs.attempt + 1, attempted_at = \(bind: now),
                    locked_by = \(bind: workerID), locked_until = \(bind: until)
                FROM ready WHERE jobs.id = ready.id
                RETURNING jobs.*
                """).all()
        case .sqlite:
            rows = try await db.raw("""
                UPDATE jobs SET state = 'running', attempt = attempt + 1, attempted_at = \(bind: now),
                    locked_by = \(bind: workerID), locked_until = \(bind: until)
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE queue = \(bind: queue) AND state IN ('available', 'retryable') AND scheduled_at <= \(bind: now)
                        AND kind IN (\(binds: kinds))
                    ORDER BY priority, scheduled_at, id
                    LIMIT \(bind: limit)
                )
                RETURNING *
                """).all()
        }
        return try rows.map { try $0.decode(model: Job.self) }.sorted { ($0.priority, $0.scheduledAt, $0.id) < ($1.priority, $1.scheduledAt, $1.id) }
    }

    /// Renews the lease. Tells the worker whether a stop was requested, or that it lost the job.
    public func heartbeat(id: String, workerID: String, lease: Duration) async throws -> HeartbeatOutcome {
        let until = clock.nowMilliseconds() + lease.milliseconds
        let rows = try await db.raw("""
            UPDATE jobs SET locked_until = \(bind: until)
            WHERE id = \(bind: id) AND locked_by = \(bind: workerID) AND state = 'running'
            RETURNING cancel_requested
            """).all()
        guard let row = rows.first else { return .lost }
        return try row.decode(column: "cancel_requested", as: Bool.self) ? .stopRequested : .held
    }

    /// Marks the job completed. False when the worker no longer held it.
    @discardableResult
    public func complete(id: String, workerID: String) async throws -> Bool {
        try await finish(id: id, workerID: workerID, state: .completed)
    }

    /// Marks the job cancelled after its worker stopped it on request.
    @discardableResult
    public func markCancelled(id: String, workerID: String) async throws -> Bool {
        try await finish(id: id, workerID: workerID, state: .cancelled)
    }

    /// Records a failed attempt: back to `retryable` after a backoff, or `discarded` when the
    /// attempts are used up or the failure is permanent. Returns the new state (nil if not held).
    @discardableResult
    public func fail(id: String, workerID: String, message: String, permanent: Bool = false) async throws -> JobState? {
        guard let job = try await job(id: id), job.lockedBy == workerID, job.state == .running else { return nil }
        let now = clock.nowMilliseconds()
        let errors = appending(JobAttemptError(attempt: job.attempt, at: now, message: message), to: job)
        let discard = permanent || job.attempt >= job.maxAttempts
        let state: JobState = discard ? .discarded : .retryable
        let scheduled = discard ? job.scheduledAt : now + retry.delayMilliseconds(afterAttempt: job.attempt, random: random())
        let rows = try await db.raw("""
            UPDATE jobs SET state = \(bind: state.rawValue), errors = \(bind: errors), scheduled_at = \(bind: scheduled),
                finalized_at = \(bind: discard ? now : nil), locked_by = NULL, locked_until = NULL
            WHERE id = \(bind: id) AND locked_by = \(bind: workerID) AND state = 'running' RETURNING id
            """).all()
        return rows.isEmpty ? nil : state
    }

    /// Gives a job back without counting the attempt (graceful shutdown): it becomes available now.
    @discardableResult
    public func release(id: String, workerID: String) async throws -> Bool {
        let now = clock.nowMilliseconds()
        let rows = try await db.raw("""
            UPDATE jobs SET state = 'available', attempt = attempt - 1, scheduled_at = \(bind: now),
                locked_by = NULL, locked_until = NULL
            WHERE id = \(bind: id) AND locked_by = \(bind: workerID) AND state = 'running' RETURNING queue
            """).all()
        guard let queue = try rows.first?.decode(column: "queue", as: String.self) else { return false }
        try await notifyAvailable(queue: queue)
        return true
    }

    /// Returns running jobs whose lease expired (their worker died or hung) to the queue, or discards
    /// them when their attempts are used up. Safe to run from every worker at once.
    @discardableResult
    public func rescueExpired() async throws -> [Job] {
        let now = clock.nowMilliseconds()
        let expired = try await db.raw("""
            SELECT * FROM jobs WHERE state = 'running' AND locked_until < \(bind: now)
            """).all().map { try $0.decode(model: Job.self) }
        var rescued: [Job] = []
        for job in expired {
            let holder = job.lockedBy ?? "?"
            let errors = appending(JobAttemptError(attempt: job.attempt, at: now, message: "lease expired: worker \(holder) stopped heartbeating"), to: job)
            let state: JobState = job.cancelRequested ? .cancelled : (job.attempt >= job.maxAttempts ? .discarded : .retryable)
            let rows = try await db.raw("""
                UPDATE jobs SET state = \(bind: state.rawValue), errors = \(bind: errors), scheduled_at = \(bind: now),
                    finalized_at = \(bind: state.isFinal ? now : nil), locked_by = NULL, locked_until = NULL
                WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: holder) AND locked_until < \(bind: now)
                RETURNING *
                """).all()
            rescued += try rows.map { try $0.decode(model: Job.self) }
        }
        if let queue = rescued.first(where: { $0.state == .retryable })?.queue { try await notifyAvailable(queue: queue) }
        return rescued
    }

    // MARK: reading

    public func job(id: String) async throws -> Job? {
        try await db.raw("SELECT * FROM jobs WHERE id = \(bind: id)").first().map { try $0.decode(model: Job.self) }
    }

    public func counts() async throws -> [JobState: Int] {
        var result = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in try await db.raw("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all() {
            if let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) {
                result[state] = try row.decode(column: "n", as: Int.self)
            }
        }
        return result
    }

    // MARK: helpers

    private func finish(id: String, workerID: String, state: JobState) async throws -> Bool {
        let now = clock.nowMilliseconds()
        let rows = try await db.raw("""
            UPDATE jobs SET state = \(bind: state.rawValue), finalized_at = \(bind: now), locked_by = NULL, locked_until = NULL
            WHERE id = \(bind: id) AND locked_by = \(bind: workerID) AND state = 'running' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    private func notifyAvailable(queue: String) async throws {
        wakeups.signal()
        if sql.dialect == .postgres {
            try await db.raw("SELECT pg_notify(\(bind: JobListener.channel), \(bind: queue))").run()
        }
    }

    private func appending(_ error: JobAttemptError, to job: Job) -> String {
        let all = job.attemptErrors + [error]
        guard let data = try? PlaytestJSON.encoder().encode(all) else { return job.errors }
        return String(decoding: data, as: UTF8.self)
    }

    private func decodeOne(_ rows: [any SQLRow], id: String) throws -> Job {
        guard let row = rows.first else { throw JobQueueError.invalid("job \(id) was not stored") }
        return try row.decode(model: Job.self)
    }
}

public enum CancelOutcome: Sendable, Equatable {
    case cancelled
    case stopRequested
    case alreadyFinal(JobState)
    case notFound
}

public enum HeartbeatOutcome: Sendable, Equatable {
    case held
    case stopRequested
    /// The lease expired and the job was rescued or finished elsewhere: stop without writing results.
    case lost
}

public enum JobQueueError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let message): "invalid job: \(message)"
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
