import Foundation
import PlaytestCore
import PlaytestStorage

/// The queue and its workers as operators see them (the jobs API, the workers page, `/metrics`), and the two things
/// they may do to a job: retry it or cancel it.
public struct QueueOverview: Sendable {
    let queue: JobQueue
    let workers: WorkerRegistry
    let runs: RunStore
    let lifecycle: RunLifecycle

    public init(engines: PlaytestEngines, lifecycle: RunLifecycle) {
        self.queue = engines.queue
        self.workers = engines.workers
        self.runs = RunStore(sql: engines.sql)
        self.lifecycle = lifecycle
    }

    /// Jobs in the given states (every state when empty), with the queue's depth per state.
    public func jobs(states: [String], limit: Int) async throws -> JobList {
        let jobs = try await queue.list(states: try Self.states(states), limit: limit)
        return JobList(jobs: jobs.map(JobView.init), counts: try await depth())
    }

    public func job(id: String) async throws -> JobView {
        JobView(try await find(id))
    }

    /// Jobs per state.
    public func depth() async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await queue.counts().map { ($0.key.rawValue, $0.value) })
    }

    /// Puts a discarded or cancelled job back in the queue. A run job's run goes back to `pending` too (its error
    /// cleared): a worker never plays a run that has ended. What the run stored so far is kept, and the worker resumes
    /// it as docs/runs.md says.
    public func retry(id: String) async throws -> JobView {
        let job = try await find(id)
        var run: RunRecord?
        if let runID = job.runID { run = try await runs.run(id: runID) }
        if let run, run.status.isActive {
            throw QueueError.conflict("run \(run.id ?? "") is \(run.status.rawValue); stop it before retrying its job")
        }
        guard try await queue.retry(id: job.id) else {
            throw QueueError.conflict("job \(job.id) is \(job.state.rawValue); only discarded or cancelled jobs can be retried")
        }
        if let run, let runID = run.id { try await lifecycle.reopen(runID, kind: run.kind) }
        return JobView(try await find(id))
    }

    public func cancel(id: String) async throws -> JobCancellation {
        let job = try await find(id)
        switch try await queue.cancel(id: job.id) {
        case .cancelled:
            return JobCancellation(outcome: "cancelled", job: try await queue.job(id: job.id).map(JobView.init))
        case .stopRequested:
            return JobCancellation(outcome: "stop_requested", job: try await queue.job(id: job.id).map(JobView.init))
        case .alreadyFinal(let state):
            throw QueueError.conflict("job \(job.id) is already \(state.rawValue); there is nothing to cancel")
        case .notFound:
            throw QueueError.notFound("no job with id \(job.id)")
        }
    }

    /// The workers that reported most recently, newest first.
    public func workers(limit: Int) async throws -> WorkerList {
        let now = workers.nowMilliseconds
        return WorkerList(workers: try await workers.recent(limit: limit).map { WorkerView($0, now: now) })
    }

    /// Workers seen by heartbeat in the last 30 s.
    public func aliveWorkers() async throws -> [WorkerView] {
        let now = workers.nowMilliseconds
        return try await workers.alive().map { WorkerView($0, now: now) }
    }

    private func find(_ id: String) async throws -> Job {
        guard let job = try await queue.job(id: id) else { throw QueueError.notFound("no job with id \(id.debugDescription)") }
        return job
    }

    static func states(_ names: [String]) throws -> [JobState] {
        try names.map { name in
            guard let state = JobState(rawValue: name) else {
                throw QueueError.invalid("unknown job state \(name.debugDescription); states are \(JobView.states.joined(separator: ", "))")
            }
            return state
        }
    }
}

/// Why a queue request was refused.
public enum QueueError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .invalid(let message): message
        }
    }
}
