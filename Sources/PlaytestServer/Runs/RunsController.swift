import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// Runs of both kinds, their artifacts and stored checkpoints: `/api/v1/runs`, `/api/v1/artifacts`, `/api/v1/checkpoints`.
struct RunsController: RouteCollection {
    let reports: RunReports

    func boot(routes root: any RoutesBuilder) throws {
        let routes = root.access(.viewer)
        routes.get("runs", use: list)
        routes.get("runs", ":id", use: show)
        routes.get("runs", ":id", "artifacts", use: artifacts)
        routes.get("runs", ":id", "evidence", use: evidence)
        routes.get("artifacts", ":artifactID", "file", use: artifactFile)
        routes.get("checkpoints", ":checkpointID", "file", use: checkpointFile)
    }

    /// `?kind=testing|training&status=…&map_id=…&offset=&limit=`, newest first.
    func list(_ request: Request) async throws -> RunList {
        let page = try PageQuery(request, maxLimit: 500)
        return try await reports.list(try RunFilter(request), offset: page.offset, limit: page.limit)
    }

    func show(_ request: Request) async throws -> RunView {
        try await reports.run(id: try request.parameter("id"))
    }

    func artifacts(_ request: Request) async throws -> ArtifactList {
        try await reports.artifacts(id: try request.parameter("id"))
    }

    func evidence(_ request: Request) async throws -> RunEvidenceList {
        try await reports.evidence(id: try request.parameter("id"))
    }

    func artifactFile(_ request: Request) async throws -> Response {
        let stored = try await reports.artifactFile(id: try request.parameter("artifactID"))
        let type = stored.artifact.contentType.split(separator: "/", maxSplits: 1)
        let viewable = stored.artifact.isPicture || stored.artifact.kind == "video"
        let contentType = viewable && type.count == 2 ? HTTPMediaType(type: String(type[0]), subType: String(type[1])) : FileDownload.binary
        return try await FileDownload.response(request, stored.file, filename: stored.filename, contentType: contentType, inline: viewable)
    }

    func checkpointFile(_ request: Request) async throws -> Response {
        let stored = try await reports.checkpointFile(id: try request.parameter("checkpointID"))
        return try await FileDownload.response(request, stored.file, filename: stored.filename, contentType: FileDownload.binary)
    }
}

extension RunFilter {
    /// `kind`, `status` and `map_id` of a query string; an empty value matches everything, an unknown one is a 400.
    init(_ request: Request) throws {
        self.init()
        if let text = try request.query.get(String?.self, at: "kind"), !text.isEmpty {
            guard let kind = RunKind(rawValue: text) else { throw APIError.badRequest("kind must be testing or training") }
            self.kind = kind
        }
        if let text = try request.query.get(String?.self, at: "status"), !text.isEmpty {
            guard let status = RunStatus(rawValue: text) else {
                throw APIError.badRequest("status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        if let text = try request.query.get(String?.self, at: "map_id"), !text.isEmpty {
            guard let id = UUID(uuidString: text) else { throw APIError.badRequest("map_id \(text.debugDescription) is not a map id") }
            mapID = id
        }
    }
}
