import PlaytestServices
import Vapor

/// The queue API the workers-and-queue page uses: `GET /jobs`, `GET /jobs/{id}`, `POST /jobs/{id}/retry`,
/// `POST /jobs/{id}/cancel` and `GET /workers`.
struct JobsController: RouteCollection {
    let queue: QueueOverview

    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.access(.viewer).grouped("jobs")
        let control = routes.access(.admin).grouped("jobs")
        jobs.get(use: list)
        jobs.get(":id", use: show)
        control.post(":id", "retry", use: retry)
        control.post(":id", "cancel", use: cancel)
        routes.access(.viewer).get("workers", use: listWorkers)
    }

    /// `?state=discarded,retryable&limit=`: those states (every state when absent or empty).
    func list(_ request: Request) async throws -> JobList {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 50
        guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be in 1...1000") }
        let states = (try request.query.get(String?.self, at: "state") ?? "").split(separator: ",").map(String.init)
        return try await queue.jobs(states: states, limit: limit)
    }

    func show(_ request: Request) async throws -> JobView {
        try await queue.job(id: try request.parameter("id"))
    }

    /// Puts a discarded or cancelled job back in the queue, and its run back to `pending`.
    func retry(_ request: Request) async throws -> JobView {
        try await queue.retry(id: try request.parameter("id"))
    }

    func cancel(_ request: Request) async throws -> JobCancellation {
        try await queue.cancel(id: try request.parameter("id"))
    }

    func listWorkers(_ request: Request) async throws -> WorkerList {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 100
        guard (1...500).contains(limit) else { throw APIError.badRequest("limit must be in 1...500") }
        return try await queue.workers(limit: limit)
    }
}
