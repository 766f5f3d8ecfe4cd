import PlaytestCore
import PlaytestServices
import Vapor

/// Seed 001's Testing API (`/api/v1/testing`) and Training API (`/api/v1/training`): one controller, registered once
/// per kind. Start, stop, status and logs work the same way for both; results are a test run's, checkpoints a
/// training run's.
struct RunKindController: RouteCollection {
    let kind: RunKind
    let launcher: RunLauncher
    let reports: RunReports

    func boot(routes: any RoutesBuilder) throws {
        let group = routes.access(.viewer).grouped(PathComponent(stringLiteral: kind.rawValue))
        let write = routes.access(.user).grouped(PathComponent(stringLiteral: kind.rawValue))
        write.post("start", use: start)
        write.post("stop", use: stop)
        group.get(":id", "status", use: status)
        group.get(":id", "logs", use: logs)
        switch kind {
        case .testing:
            group.get(":id", "results", use: results)
            group.get(":id", "summary", use: summary)
        case .training: group.get(":id", "checkpoints", use: checkpoints)
        }
    }

    /// 202 with the started run and where to follow it.
    func start(_ request: Request) async throws -> Response {
        let started = switch kind {
        case .testing:
            try await launcher.startTest(
                try RequestBody.decode(TestStartBody.self, request, allowed: Set(TestStartBody.CodingKeys.allCases.map(\.stringValue))).request,
                by: try request.actor())
        case .training:
            try await launcher.startTraining(
                try RequestBody.decode(TrainingStartBody.self, request, allowed: Set(TrainingStartBody.CodingKeys.allCases.map(\.stringValue))).request,
                by: try request.actor())
        }
        let response = try JSONBody.response(started, status: .accepted)
        response.headers.replaceOrAdd(name: .location, value: started.statusURL)
        return response
    }

    func stop(_ request: Request) async throws -> RunsStopped {
        let body = try StopBody.decode(request, kind: kind)
        return try await launcher.stop(kind: kind, ids: body.id.map { [$0] }, by: try request.actor())
    }

    func status(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        switch kind {
        case .testing: return try await reports.testStatus(id: id).encodeResponse(for: request)
        case .training: return try await reports.trainingStatus(id: id).encodeResponse(for: request)
        }
    }

    /// A test run's episode timeline (`episode_num` from 1, default the newest finished one), or a training run's
    /// learning curve.
    func logs(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        switch kind {
        case .testing:
            let episode = try request.query.get(Int?.self, at: "episode_num")
            return try await reports.episodeLog(id: id, episode: episode).encodeResponse(for: request)
        case .training:
            return try await reports.trainingLog(id: id).encodeResponse(for: request)
        }
    }

    func results(_ request: Request) async throws -> TestResults {
        try await reports.testResults(id: try request.parameter("id"))
    }

    func summary(_ request: Request) async throws -> RunNarrative {
        try await reports.narrative(id: try request.parameter("id"))
    }

    func checkpoints(_ request: Request) async throws -> CheckpointList {
        try await reports.checkpoints(id: try request.parameter("id"))
    }
}
