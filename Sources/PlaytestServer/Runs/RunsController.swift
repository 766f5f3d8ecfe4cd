import Foundation
import PlaytestStorage
import Vapor

/// Runs of both kinds, their artifacts and stored checkpoints: `/api/v1/runs`, `/api/v1/artifacts`, `/api/v1/checkpoints`.
struct RunsController: RouteCollection {
    let services: RunEndpointServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get("runs", use: list)
        routes.get("runs", ":id", use: show)
        routes.get("runs", ":id", "artifacts", use: artifacts)
        routes.get("artifacts", ":artifactID", "file", use: artifactFile)
        routes.get("checkpoints", ":checkpointID", "file", use: checkpointFile)
    }

    /// `?kind=testing|training&status=…&map_id=…&offset=&limit=`, newest first.
    func list(_ request: Request) async throws -> RunListResponse {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 50
        let offset = try request.query.get(Int?.self, at: "offset") ?? 0
        guard (1...500).contains(limit) else { throw APIError.badRequest("limit must be in 1...500") }
        guard offset >= 0 else { throw APIError.badRequest("offset must be 0 or more") }
        var filter = RunFilter()
        if let kind = try request.query.get(String?.self, at: "kind"), !kind.isEmpty {
            guard let value = RunRecord.Kind(rawValue: kind) else { throw APIError.badRequest("kind must be testing or training") }
            filter.kind = value
        }
        if let status = try request.query.get(String?.self, at: "status"), !status.isEmpty {
            guard let value = RunRecord.Status(rawValue: status) else {
                throw APIError.badRequest("status must be one of \(RunRecord.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        if let map = try request.query.get(String?.self, at: "map_id"), !map.isEmpty {
            guard let id = UUID(uuidString: map) else { throw APIError.badRequest("map_id must be a map id") }
            filter.mapID = id
        }
        let page = try await services.runs.list(filter, offset: offset, limit: limit)
        return RunListResponse(runs: try page.runs.map(RunResponse.init), total: page.total, offset: offset, limit: limit)
    }

    func show(_ request: Request) async throws -> RunResponse {
        try RunResponse(try await services.run(request))
    }

    func artifacts(_ request: Request) async throws -> ArtifactListResponse {
        let id = try await services.run(request).requireID()
        return ArtifactListResponse(runID: id, artifacts: try await services.telemetry.artifacts(runID: id).map(ArtifactResponse.init))
    }

    func artifactFile(_ request: Request) async throws -> Response {
        let id = request.parameters.get("artifactID") ?? ""
        guard let artifact = try await services.telemetry.artifact(id: id) else { throw APIError.notFound("no artifact \(id.debugDescription)") }
        let isScreenshot = artifact.kind == "screenshot"
        let filename = "\(artifact.runID)_episode\(artifact.episode)_tic\(artifact.tic)" + (isScreenshot ? ".png" : ".lmp")
        let type = (isScreenshot ? HTTPMediaType.png : nil) ?? HTTPMediaType(type: "application", subType: "octet-stream")
        return try await BlobDownload.response(
            request, blobs: services.blobs, key: artifact.blobKey, filename: filename, contentType: type, inline: isScreenshot)
    }

    func checkpointFile(_ request: Request) async throws -> Response {
        let id = request.parameters.get("checkpointID") ?? ""
        guard let checkpoint = try await services.telemetry.checkpoint(id: id) else { throw APIError.notFound("no checkpoint \(id.debugDescription)") }
        return try await BlobDownload.response(
            request, blobs: services.blobs, key: checkpoint.blobKey, filename: "\(id).pt",
            contentType: HTTPMediaType(type: "application", subType: "octet-stream"))
    }
}
