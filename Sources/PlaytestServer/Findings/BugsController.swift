import PlaytestCore
import PlaytestServices
import Vapor

/// The bug tracker (docs/findings.md): `/api/v1/bugs` lists every map's findings, static and from play, with filters
/// and counts; `/api/v1/bugs/{id}` shows one with its evidence and comments; `PATCH` triages it (the map's owner or
/// an admin).
struct BugsController: RouteCollection {
    let findings: Findings

    func boot(routes: any RoutesBuilder) throws {
        let viewer = routes.access(.viewer)
        viewer.get("bugs", use: list)
        viewer.get("bugs", ":id", use: show)
        routes.access(.user).patch("bugs", ":id", use: triage)
    }

    /// `?map_id&level&run_id&kind&severity&status&q&offset&limit` (limit 1–200, default 50).
    func list(_ request: Request) async throws -> Response {
        func text(_ name: String) throws -> String? {
            let value = try request.query.get(String?.self, at: name)?.trimmingCharacters(in: .whitespaces)
            if let value, value.count > 200 { throw APIError.badRequest("\(name) is at most 200 characters") }
            return value?.isEmpty == false ? value : nil
        }
        let page = try await findings.list(
            mapID: try text("map_id")?.lowercased(), level: try text("level"), runID: try text("run_id"), kind: try text("kind"),
            severity: try text("severity"), status: try text("status"), text: try text("q"),
            offset: try LeaderboardsController.bounded(request, "offset", default: 0, 0...1_000_000),
            limit: try LeaderboardsController.bounded(request, "limit", default: 50, 1...200))
        return try JSONBody.response(page)
    }

    func show(_ request: Request) async throws -> Response {
        try JSONBody.response(try await findings.detail(id: try request.parameter("id")))
    }

    func triage(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(TriageBody.self, request)
        return try JSONBody.response(try await findings.triage(
            id: try request.parameter("id"), status: body.status, comment: body.comment, by: try request.actor()))
    }
}

/// `PATCH /bugs/{id}`: a new status, a comment, or both.
struct TriageBody: AccountBody {
    typealias Keys = CodingKeys
    var status: String?
    var comment: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case status, comment }
    static func validations(_ validations: inout Validations) {}
}
