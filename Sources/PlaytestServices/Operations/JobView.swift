import Foundation
import PlaytestCore
import PlaytestStorage

/// A queue job as the jobs API and the workers page show it. Times are ISO 8601.
public struct JobView: Encodable, Sendable, Hashable {
    /// Every state a job can be in, in the order of its life (`available` … `discarded`).
    public static let states = JobState.allCases.map(\.rawValue)

    public var id: String
    public var kind: String
    public var queue: String
    public var state: String
    public var attempt: Int
    public var maxAttempts: Int
    public var priority: Int
    /// The run this job plays, when its payload names one.
    public var runID: String?
    public var createdAt: Date?
    public var scheduledAt: Date?
    public var attemptedAt: Date?
    public var finalizedAt: Date?
    public var lockedBy: String?
    public var cancelRequested: Bool
    public var errors: [JobErrorView]

    init(_ job: Job) {
        id = job.id
        kind = job.kind
        queue = job.queue
        state = job.state.rawValue
        attempt = job.attempt
        maxAttempts = job.maxAttempts
        priority = job.priority
        runID = job.runID
        createdAt = Date(milliseconds: job.createdAt)
        scheduledAt = Date(milliseconds: job.scheduledAt)
        attemptedAt = job.attemptedAt.map(Date.init(milliseconds:))
        finalizedAt = job.finalizedAt.map(Date.init(milliseconds:))
        lockedBy = job.lockedBy
        cancelRequested = job.cancelRequested
        errors = job.attemptErrors.map(JobErrorView.init)
    }

    /// Waiting or running: it can still be cancelled.
    public var isActive: Bool { ["available", "retryable", "running"].contains(state) }
    /// Given up on after its last attempt: it can be retried.
    public var isDiscarded: Bool { state == JobState.discarded.rawValue }
    /// When it last did something: finished, else attempted, else queued.
    public var lastActivity: Date? { finalizedAt ?? attemptedAt ?? createdAt }

    enum CodingKeys: String, CodingKey {
        case id, kind, queue, state, attempt, priority, errors
        case maxAttempts = "max_attempts"
        case runID = "run_id"
        case createdAt = "created_at"
        case scheduledAt = "scheduled_at"
        case attemptedAt = "attempted_at"
        case finalizedAt = "finalized_at"
        case lockedBy = "locked_by"
        case cancelRequested = "cancel_requested"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(queue, forKey: .queue)
        try c.encode(state, forKey: .state)
        try c.encode(attempt, forKey: .attempt)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(priority, forKey: .priority)
        try c.encode(runID, forKey: .runID)
        try c.encodeTimestamp(createdAt, forKey: .createdAt)
        try c.encodeTimestamp(scheduledAt, forKey: .scheduledAt)
        try c.encodeTimestamp(attemptedAt, forKey: .attemptedAt)
        try c.encodeTimestamp(finalizedAt, forKey: .finalizedAt)
        try c.encode(lockedBy, forKey: .lockedBy)
        try c.encode(cancelRequested, forKey: .cancelRequested)
        try c.encode(errors, forKey: .errors)
    }
}

/// What went wrong in one attempt of a job.
public struct JobErrorView: Encodable, Sendable, Hashable {
    public var attempt: Int
    public var at: Date
    public var message: String

    init(_ error: JobAttemptError) {
        attempt = error.attempt
        at = Date(milliseconds: error.at)
        message = error.message
    }
}

/// Jobs and the queue's depth per state.
public struct JobList: Encodable, Sendable {
    public var jobs: [JobView]
    public var counts: [String: Int]
}

/// What a cancel request did: `cancelled` (it was queued) or `stop_requested` (it is running; its worker stops it
/// within seconds).
public struct JobCancellation: Encodable, Sendable {
    public var outcome: String
    public var job: JobView?
}

/// A worker process as it last reported itself.
public struct WorkerView: Encodable, Sendable, Hashable {
    public var id: String
    public var hostname: String
    public var pid: Int
    public var concurrency: Int
    public var version: String
    public var startedAt: Date
    public var heartbeatAt: Date
    public var heartbeatAgeSeconds: Double
    public var alive: Bool
    /// `alive`, `gone` (no heartbeat for a while) or `stopped` (it said goodbye).
    public var state: String
    public var runningJobs: [String]

    init(_ worker: WorkerRecord, now: Int64) {
        id = worker.id
        hostname = worker.hostname
        pid = worker.pid
        concurrency = worker.concurrency
        version = worker.version
        startedAt = Date(milliseconds: worker.startedAt)
        heartbeatAt = Date(milliseconds: worker.heartbeatAt)
        heartbeatAgeSeconds = Double(max(now - worker.heartbeatAt, 0)) / 1000
        alive = worker.stoppedAt == nil && now - worker.heartbeatAt <= WorkerRegistry.aliveWindowMilliseconds
        state = worker.stoppedAt != nil ? "stopped" : (alive ? "alive" : "gone")
        runningJobs = worker.runningJobIDs
    }

    enum CodingKeys: String, CodingKey {
        case id, hostname, pid, concurrency, version, alive, state
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
        case heartbeatAgeSeconds = "heartbeat_age_seconds"
        case runningJobs = "running_jobs"
    }
}

public struct WorkerList: Encodable, Sendable {
    public var workers: [WorkerView]
}

extension Date {
    /// A time the queue keeps as milliseconds since 1970.
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension Job {
    /// The `run_id` in a run job's payload, if any.
    var runID: String? {
        (try? decodePayload(RunJob.Payload.self))?.runID
    }
}
