import Foundation
import PlaytestCore
import PlaytestStorage
import Vapor

/// The map library API under `/api/v1/maps`.
struct MapsController: RouteCollection {
    let library: MapLibrary
    let blobs: any BlobStore
    let maxUploadBytes: Int
    let temporaryDirectory: String

    func boot(routes: any RoutesBuilder) throws {
        let maps = routes.grouped("maps")
        maps.on(.POST, "upload", body: .stream, use: upload)
        maps.get(use: list)
        maps.get(":id", use: show)
        maps.delete(":id", use: delete)
        maps.get(":id", "file", use: download)
        maps.get(":id", "maps", ":mapName", use: mapDetail)
        maps.get(":id", "maps", ":mapName", "render.svg", use: render)
    }

    func upload(_ request: Request) async throws -> Response {
        let received = try await WADUploadReceiver(maxBytes: maxUploadBytes, temporaryDirectory: temporaryDirectory).receive(request)
        defer { try? FileManager.default.removeItem(atPath: received.path) }
        let imported: MapLibrary.Imported
        do {
            imported = try await library.importWAD(
                fileAt: received.path, sha256: received.sha256, sizeBytes: received.sizeBytes,
                filename: received.filename, name: received.name)
        } catch let error as MapLibraryError {
            throw Self.apiError(error)
        }
        let counts = try await library.runCounts(mapIDs: [try imported.record.requireID()])
        let body = try MapResponse(imported.record, counts: counts.values.first, duplicate: !imported.created)
        let response = Response(status: imported.created ? .created : .ok)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/maps/\(body.id.uuidString.lowercased())")
        return response
    }

    func list(_ request: Request) async throws -> MapListResponse {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 50
        let offset = try request.query.get(Int?.self, at: "offset") ?? 0
        guard (1...500).contains(limit) else { throw APIError.badRequest("limit must be in 1...500") }
        guard offset >= 0 else { throw APIError.badRequest("offset must be 0 or more") }
        let name = try request.query.get(String?.self, at: "name")
        let page = try await library.list(nameContains: name, offset: offset, limit: limit)
        let counts = try await library.runCounts(mapIDs: page.records.compactMap(\.id))
        let maps = try page.records.map { try MapResponse($0, counts: $0.id.flatMap { counts[$0] }) }
        return MapListResponse(maps: maps, total: page.total, offset: offset, limit: limit)
    }

    func show(_ request: Request) async throws -> MapResponse {
        let record = try await find(request)
        let counts = try await library.runCounts(mapIDs: [try record.requireID()])
        return try MapResponse(record, counts: counts.values.first)
    }

    func delete(_ request: Request) async throws -> Response {
        let record = try await find(request)
        do {
            try await library.delete(id: try record.requireID())
        } catch let error as MapLibraryError {
            throw Self.apiError(error)
        }
        return Response(status: .noContent)
    }

    func download(_ request: Request) async throws -> Response {
        let record = try await find(request)
        return try await BlobDownload.response(
            request, blobs: blobs, key: record.blobKey, filename: record.filename,
            contentType: HTTPMediaType(type: "application", subType: "octet-stream"))
    }

    func mapDetail(_ request: Request) async throws -> MapDetailResponse {
        let record = try await find(request)
        let result = try await analysis(record, request)
        let id = try record.requireID().uuidString.lowercased()
        let name = result.report.summary.name
        return MapDetailResponse(
            wadID: try record.requireID(), summary: result.report.summary, findings: result.report.findings,
            renderURL: "/api/v1/maps/\(id)/maps/\(name)/render.svg")
    }

    func render(_ request: Request) async throws -> Response {
        let record = try await find(request)
        let result = try await analysis(record, request)
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
        let svg = SVGMapRenderer(geometry: result.geometry, options: options).render(findings: result.report.findings)
        let response = Response(status: .ok, body: .init(string: svg))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }

    private func analysis(_ record: MapRecord, _ request: Request) async throws -> MapAnalysisResult {
        guard let mapName = request.parameters.get("mapName") else { throw APIError.badRequest("missing map name") }
        do {
            return try await library.report(for: record, mapName: mapName)
        } catch let error as MapLibraryError {
            throw Self.apiError(error)
        }
    }

    private func find(_ request: Request) async throws -> MapRecord {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw APIError.notFound("no map with id \(request.parameters.get("id")?.debugDescription ?? "")")
        }
        guard let record = try await library.record(id: id) else { throw APIError.notFound("no map with id \(text)") }
        return record
    }

    static func apiError(_ error: MapLibraryError) -> APIError {
        switch error {
        case .invalidWAD(let message): APIError.unprocessable("invalid_wad", "not a usable WAD: \(message)")
        case .notFound: APIError.notFound(error.description)
        case .mapNotFound: APIError.notFound(error.description)
        case .activeRuns: APIError.conflict(error.description)
        }
    }
}
