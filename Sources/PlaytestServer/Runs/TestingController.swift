import PlaytestCore
import PlaytestStorage
import Vapor

/// The seed's Testing API under `/api/v1/testing`.
struct TestingController: RouteCollection {
    let services: RunEndpointServices

    func boot(routes: any RoutesBuilder) throws {
        let testing = routes.grouped("testing")
        testing.post("start", use: start)
        testing.post("stop", use: stop)
        testing.get(":id", "status", use: status)
        testing.get(":id", "results", use: results)
        testing.get(":id", "logs", use: logs)
    }

    func start(_ request: Request) async throws -> Response {
        let body = try RunEndpointServices.body(request)
        let run = try await RunEndpointServices.launching {
            try await services.launcher.startTest(try TestRunRequest(json: body))
        }
        return try RunEndpointServices.accepted(try TestStartResponse(run), location: "/api/v1/testing/\(try run.requireID())/status")
    }

    func stop(_ request: Request) async throws -> StopResponse {
        try await services.stop(request, kind: .testing)
    }

    func status(_ request: Request) async throws -> Response {
        if let live = await services.reports.liveTestStatus(runID: request.parameters.get("id") ?? "") {
            return try StatusResponse.json(live)
        }
        return try StatusResponse.json(try await services.reports.testStatus(try await services.run(request, kind: .testing)))
    }

    func results(_ request: Request) async throws -> TestResults {
        try await services.reports.testResults(try await services.run(request, kind: .testing))
    }

    /// One episode's timeline; `episode_num` defaults to the newest finished episode.
    func logs(_ request: Request) async throws -> EpisodeLog {
        let run = try await services.run(request, kind: .testing)
        let id = try run.requireID()
        let finished = try await services.telemetry.finishedEpisodeCount(runID: id)
        guard let episode = try request.query.get(Int?.self, at: "episode_num") ?? (finished > 0 ? finished - 1 : nil) else {
            throw APIError.notFound("test run \(id) has no finished episode yet")
        }
        guard let log = try await services.telemetry.episodeLog(runID: id, episode: episode) else {
            throw APIError.notFound("test run \(id) has no finished episode \(episode) (\(finished) finished: 0...\(max(finished - 1, 0)))")
        }
        return log
    }
}
