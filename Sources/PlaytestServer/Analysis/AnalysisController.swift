import PlaytestCore
import PlaytestServices
import Vapor

/// Seed 001's analysis API under `/api/v1/analysis`: a map's profile, comparisons, the platform's statistics.
struct AnalysisController: RouteCollection {
    let analysis: Analysis

    func boot(routes: any RoutesBuilder) throws {
        let group = routes.access(.viewer).grouped("analysis")
        group.get("maps", ":id", use: profile)
        group.get("compare", use: compare)
        group.get("statistics", use: statistics)
    }

    /// `?map=MAP01` (default the WAD's first map).
    func profile(_ request: Request) async throws -> Response {
        Self.response(try await analysis.profile(mapID: try request.parameter("id"), mapName: try request.query.get(String?.self, at: "map")))
    }

    /// `?kind=maps|agents|checkpoints|versions&id=…&id=…` (2–6), optional `map` and, for agents and checkpoints, `map_id`.
    func compare(_ request: Request) async throws -> Response {
        let query = try CompareQuery(request)
        return Self.response(try await analysis.compare(kind: query.kind, ids: query.ids, mapName: query.map, mapID: query.mapID))
    }

    func statistics(_ request: Request) async throws -> Response {
        let days = try request.query.get(Int?.self, at: "days") ?? 30
        guard (1...365).contains(days) else { throw APIError.badRequest("days must be in 1...365") }
        return Self.response(try await analysis.statistics(days: days))
    }

    /// The cached JSON as it is.
    static func response<Value>(_ answer: Cached<Value>) -> Response {
        let response = Response(status: .ok, body: .init(string: answer.json))
        response.headers.contentType = .json
        return response
    }
}

/// The query of a comparison, shared by the API and the compare page.
struct CompareQuery {
    var kind: Comparison.Kind
    var ids: [String]
    var map: String?
    var mapID: String?

    init(_ request: Request) throws {
        let text = try request.query.get(String?.self, at: "kind") ?? "maps"
        guard let kind = Comparison.Kind(rawValue: text) else {
            throw APIError.badRequest("kind must be one of \(Comparison.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        if let many = try? request.query.get([String].self, at: "id") {
            ids = many
        } else {
            ids = try request.query.get(String?.self, at: "id").map { [$0] } ?? []
        }
        map = try request.query.get(String?.self, at: "map").flatMap { $0.isEmpty ? nil : $0 }
        mapID = try request.query.get(String?.self, at: "map_id").flatMap { $0.isEmpty ? nil : $0 }
    }
}
