import PlaytestStorage
import Vapor

/// The seed's Training API under `/api/v1/training`.
struct TrainingController: RouteCollection {
    let services: RunEndpointServices

    func boot(routes: any RoutesBuilder) throws {
        let training = routes.grouped("training")
        training.post("start", use: start)
        training.post("stop", use: stop)
        training.get(":id", "status", use: status)
        training.get(":id", "logs", use: logs)
        training.get(":id", "checkpoints", use: checkpoints)
    }

    func start(_ request: Request) async throws -> Response {
        let body = try RunEndpointServices.body(request)
        let run = try await RunEndpointServices.launching {
            try await services.launcher.startTraining(try TrainingRunRequest(json: body))
        }
        return try RunEndpointServices.accepted(try TrainingStartResponse(run), location: "/api/v1/training/\(try run.requireID())/status")
    }

    func stop(_ request: Request) async throws -> StopResponse {
        try await services.stop(request, kind: .training)
    }

    func status(_ request: Request) async throws -> Response {
        if let live = await services.reports.liveTrainingStatus(runID: request.parameters.get("id") ?? "") {
            return try StatusResponse.json(live)
        }
        return try StatusResponse.json(try await services.reports.trainingStatus(try await services.run(request, kind: .training)))
    }

    func logs(_ request: Request) async throws -> TrainingLog {
        try await services.reports.trainingLog(try await services.run(request, kind: .training))
    }

    func checkpoints(_ request: Request) async throws -> CheckpointListResponse {
        let run = try await services.run(request, kind: .training)
        let id = try run.requireID()
        let list = try await services.telemetry.checkpoints(runID: id)
        return CheckpointListResponse(trainingID: id, checkpoints: list.map(CheckpointResponse.init))
    }
}
