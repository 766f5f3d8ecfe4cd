import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// The map library API under `/api/v1/maps`.
struct MapsController: RouteCollection {
    let maps: MapLibrary
    let progressions: MapProgressions
    let maxUploadBytes: Int
    let temporaryDirectory: String

    func boot(routes: any RoutesBuilder) throws {
        let group = routes.access(.viewer).grouped("maps")
        let write = routes.access(.user).grouped("maps")
        write.on(.POST, "upload", body: .stream, use: upload)
        group.get(use: list)
        group.get(":id", use: show)
        write.delete(":id", use: delete)
        group.get(":id", "file", use: download)
        group.get(":id", "maps", ":mapName", use: mapDetail)
        group.get(":id", "maps", ":mapName", "render.svg", use: render)
        group.get(":id", "maps", ":mapName", "progression", use: progression)
    }

    func upload(_ request: Request) async throws -> Response {
        let received = try await WADUploadReceiver(maxBytes: maxUploadBytes, temporaryDirectory: temporaryDirectory).receive(request)
        defer { try? FileManager.default.removeItem(atPath: received.path) }
        let imported = try await maps.importWAD(
            fileAt: received.path, sha256: received.sha256, sizeBytes: received.sizeBytes, filename: received.filename, name: received.name,
            createdBy: try request.actor().userID)
        let response = try JSONBody.response(imported.map, status: imported.created ? .created : .ok)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/maps/\(imported.map.id)")
        return response
    }

    func list(_ request: Request) async throws -> MapList {
        let page = try PageQuery(request, maxLimit: 500)
        return try await maps.list(nameContains: try request.query.get(String?.self, at: "name"), offset: page.offset, limit: page.limit)
    }

    func show(_ request: Request) async throws -> MapView {
        try await maps.map(id: try request.parameter("id"))
    }

    func delete(_ request: Request) async throws -> Response {
        try await maps.delete(id: try request.parameter("id"), by: try request.actor())
        return Response(status: .noContent)
    }

    func download(_ request: Request) async throws -> Response {
        let stored = try await maps.file(id: try request.parameter("id"))
        return try await FileDownload.response(request, stored.file, filename: stored.filename, contentType: FileDownload.binary)
    }

    func mapDetail(_ request: Request) async throws -> MapDetail {
        try await maps.detail(id: try request.parameter("id"), mapName: try request.parameter("mapName"))
    }

    /// Can the map be finished at `skill` (1–5, default 3): the planner's verdict and route, computed on the first request.
    func progression(_ request: Request) async throws -> Response {
        let plan = try await maps(progressionOf: request)
        return try JSONBody.response(plan, status: .ok)
    }

    private func maps(progressionOf request: Request) async throws -> ProgressionPlan {
        let skill = try request.query.get(Int?.self, at: "skill") ?? 3
        guard (1...5).contains(skill) else { throw APIError.badRequest("skill must be in 1...5") }
        return try await progressions.progression(id: try request.parameter("id"), mapName: try request.parameter("mapName"), skill: skill)
    }

    func render(_ request: Request) async throws -> Response {
        let result = try await maps.analysis(id: try request.parameter("id"), mapName: try request.parameter("mapName"))
        var options = SVGRenderOptions()
        if let layers = try request.query.get(String?.self, at: "layers") {
            var chosen = Set<SVGLayer>()
            for name in layers.split(separator: ",") {
                guard let layer = SVGLayer(rawValue: String(name)) else {
                    throw APIError.badRequest("unknown layer \(String(name).debugDescription); layers are \(SVGLayer.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chosen.insert(layer)
            }
            options.layers = chosen
        }
        if let width = try request.query.get(Int?.self, at: "width") {
            guard (64...8192).contains(width) else { throw APIError.badRequest("width must be in 64...8192") }
            options.pixelWidth = width
        }
        // The route is drawn when asked for by name: planning a big map takes seconds the first time.
        let route = options.layers.contains(.route) && request.query[String.self, at: "layers"] != nil
            ? RouteDrawing(plan: try await maps(progressionOf: request)) : nil
        let svg = SVGMapRenderer(geometry: result.geometry, options: options).render(findings: result.report.findings, route: route)
        let response = Response(status: .ok, body: .init(string: svg))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }
}

/// `offset` and `limit` of a list request: `limit` 1…`maxLimit` (default 50), `offset` ≥ 0.
struct PageQuery {
    var offset: Int
    var limit: Int

    init(_ request: Request, maxLimit: Int, defaultLimit: Int = 50) throws {
        limit = try request.query.get(Int?.self, at: "limit") ?? defaultLimit
        offset = try request.query.get(Int?.self, at: "offset") ?? 0
        guard (1...maxLimit).contains(limit) else { throw APIError.badRequest("limit must be in 1...\(maxLimit)") }
        guard offset >= 0 else { throw APIError.badRequest("offset must be 0 or more") }
    }
}

extension Request {
    /// A path parameter the route declares.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw APIError.badRequest("missing path parameter \(name)") }
        return value
    }
}
