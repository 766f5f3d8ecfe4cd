import Foundation
import PlaytestStorage
import Vapor

/// A queue job as the jobs API shows it. Times are ISO 8601.
struct JobResponse: Content {
    var id: String
    var kind: String
    var queue: String
    var state: String
    var attempt: Int
    var maxAttempts: Int
    var priority: Int
    /// The run this job plays, when its payload names one.
    var runID: String?
    var createdAt: Date?
    var scheduledAt: Date?
    var attemptedAt: Date?
    var finalizedAt: Date?
    var lockedBy: String?
    var cancelRequested: Bool
    var errors: [JobErrorResponse]

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

    init(_ job: Job) {
        id = job.id
        kind = job.kind
        queue = job.queue
        state = job.state.rawValue
        attempt = job.attempt
        maxAttempts = job.maxAttempts
        priority = job.priority
        runID = job.runID
        createdAt = WebFormat.epochDate(milliseconds: job.createdAt)
        scheduledAt = WebFormat.epochDate(milliseconds: job.scheduledAt)
        attemptedAt = WebFormat.epochDate(milliseconds: job.attemptedAt)
        finalizedAt = WebFormat.epochDate(milliseconds: job.finalizedAt)
        lockedBy = job.lockedBy
        cancelRequested = job.cancelRequested
        errors = job.attemptErrors.map(JobErrorResponse.init)
    }
}

struct JobErrorResponse: Content {
    var attempt: Int
    var at: Date?
    var message: String

    init(_ error: JobAttemptError) {
        attempt = error.attempt
        at = WebFormat.epochDate(milliseconds: error.at)
        message = error.message
    }
}

struct JobListResponse: Content {
    var jobs: [JobResponse]
    var counts: [String: Int]
}

/// What a cancel request did.
struct JobCancelResponse: Content {
    /// `cancelled` (it was queued), `stop_requested` (it is running; its worker stops it within seconds).
    var outcome: String
    var job: JobResponse?
}

struct WorkerResponse: Content {
    var id: String
    var hostname: String
    var pid: Int
    var concurrency: Int
    var version: String
    var startedAt: Date?
    var heartbeatAt: Date?
    var heartbeatAgeSeconds: Double
    var alive: Bool
    var runningJobs: [String]

    enum CodingKeys: String, CodingKey {
        case id, hostname, pid, concurrency, version, alive
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
        case heartbeatAgeSeconds = "heartbeat_age_seconds"
        case runningJobs = "running_jobs"
    }

    init(_ worker: WorkerRecord, now: Int64) {
        id = worker.id
        hostname = worker.hostname
        pid = worker.pid
        concurrency = worker.concurrency
        version = worker.version
        startedAt = WebFormat.epochDate(milliseconds: worker.startedAt)
        heartbeatAt = WebFormat.epochDate(milliseconds: worker.heartbeatAt)
        heartbeatAgeSeconds = Double(max(now - worker.heartbeatAt, 0)) / 1000
        alive = worker.isAlive(now: now)
        runningJobs = worker.runningJobIDs
    }
}

struct WorkerListResponse: Content {
    var workers: [WorkerResponse]
}

extension WorkerRecord {
    func isAlive(now: Int64) -> Bool {
        stoppedAt == nil && now - heartbeatAt <= WorkerRegistry.aliveWindowMilliseconds
    }
}

extension Job {
    /// The `run_id` in a run job's payload, if any.
    var runID: String? {
        struct Payload: Decodable {
            var runID: String?
            enum CodingKeys: String, CodingKey { case runID = "run_id" }
        }
        return (try? decodePayload(Payload.self))?.runID
    }
}
