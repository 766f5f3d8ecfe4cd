import FluentKit
import Foundation
import PlaytestStorage
import Vapor

/// The queue API the workers-and-queue page uses: `GET /jobs`, `POST /jobs/{id}/retry`,
/// `POST /jobs/{id}/cancel` and `GET /workers`.
struct JobsController: RouteCollection {
    let queue: JobQueue
    let workers: WorkerRegistry
    var sql: SQLEngine { queue.sql }

    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.grouped("jobs")
        jobs.get(use: list)
        jobs.get(":id", use: show)
        jobs.post(":id", "retry", use: retry)
        jobs.post(":id", "cancel", use: cancel)
        routes.get("workers", use: listWorkers)
    }

    func list(_ request: Request) async throws -> JobListResponse {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 50
        guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be in 1...1000") }
        let states = try Self.states(request.query.get(String?.self, at: "state"))
        let jobs = try await queue.list(states: states, limit: limit)
        let counts = try await queue.counts()
        return JobListResponse(
            jobs: jobs.map(JobResponse.init),
            counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }

    func show(_ request: Request) async throws -> JobResponse {
        JobResponse(try await find(request))
    }

    /// Puts a discarded or cancelled job back in the queue. A run job's run goes back to `pending`
    /// too (its error cleared), since a worker never plays a run that is already final; what the
    /// run stored so far is kept and the worker resumes it as docs/runs.md says.
    func retry(_ request: Request) async throws -> JobResponse {
        let job = try await find(request)
        let run = try await job.runID.asyncMap { try await RunRecord.find($0, on: sql.database) } ?? nil
        if let run, RunRecord.Status.active.contains(run.status) {
            throw APIError.conflict("run \(run.id ?? "") is \(run.status.rawValue); stop it before retrying its job")
        }
        guard try await queue.retry(id: job.id) else {
            throw APIError.conflict("job \(job.id) is \(job.state.rawValue); only discarded or cancelled jobs can be retried")
        }
        if let run {
            run.status = .pending
            run.error = nil
            run.stderrTail = nil
            run.completedAt = nil
            run.updatedAt = Date()
            try await run.save(on: sql.database)
        }
        return JobResponse(try await find(request))
    }

    func cancel(_ request: Request) async throws -> JobCancelResponse {
        let job = try await find(request)
        switch try await queue.cancel(id: job.id) {
        case .cancelled:
            return JobCancelResponse(outcome: "cancelled", job: try await queue.job(id: job.id).map(JobResponse.init))
        case .stopRequested:
            return JobCancelResponse(outcome: "stop_requested", job: try await queue.job(id: job.id).map(JobResponse.init))
        case .alreadyFinal(let state):
            throw APIError.conflict("job \(job.id) is already \(state.rawValue); there is nothing to cancel")
        case .notFound:
            throw APIError.notFound("no job with id \(job.id)")
        }
    }

    func listWorkers(_ request: Request) async throws -> WorkerListResponse {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 100
        guard (1...500).contains(limit) else { throw APIError.badRequest("limit must be in 1...500") }
        let now = workers.nowMilliseconds
        let records = try await workers.recent(limit: limit)
        return WorkerListResponse(workers: records.map { WorkerResponse($0, now: now) })
    }

    private func find(_ request: Request) async throws -> Job {
        let id = request.parameters.get("id") ?? ""
        guard let job = try await queue.job(id: id) else { throw APIError.notFound("no job with id \(id.debugDescription)") }
        return job
    }

    /// `state=discarded,retryable` → those states; absent or empty → all.
    static func states(_ text: String?) throws -> [JobState] {
        guard let text, !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { name in
            guard let state = JobState(rawValue: String(name)) else {
                throw APIError.badRequest("unknown job state \(String(name).debugDescription); states are \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return state
        }
    }
}
