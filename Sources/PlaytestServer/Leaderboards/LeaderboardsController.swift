import PlaytestCore
import PlaytestServices
import Vapor

/// Leaderboards and agents' live state (docs/live-state.md): `/api/v1/leaderboards…` (top N, a page, around an
/// owner, an owner's standing) and `/api/v1/runs/{id}/agent|milestones`, `/api/v1/agents/{name}/confidence`.
/// Reads only: records are written by the platform as runs play.
struct LeaderboardsController: RouteCollection {
    let progress: AgentProgress
    let reports: RunReports

    var leaderboards: Leaderboards { progress.leaderboards }

    func boot(routes: any RoutesBuilder) throws {
        let viewer = routes.access(.viewer)
        let boards = viewer.grouped("leaderboards")
        boards.get(use: list)
        boards.get(":board", use: page)
        boards.get(":board", "around", ":owner", use: around)
        boards.get(":board", "owners", ":owner", use: standing)
        viewer.get("runs", ":id", "agent", use: agent)
        viewer.get("runs", ":id", "milestones", use: milestones)
        viewer.get("agents", ":agent", "confidence", use: confidence)
    }

    /// `?map_id=` lists one map's boards.
    func list(_ request: Request) async throws -> LeaderboardList {
        let mapID = try request.query.get(String?.self, at: "map_id").map { $0.lowercased() }
        return LeaderboardList(boards: try await leaderboards.boards(mapID: mapID))
    }

    /// `?limit=` (1–100, default 10) and `?offset=`: top N is offset 0; `?period=` reads a past period.
    func page(_ request: Request) async throws -> LeaderboardPage {
        let limit = try Self.bounded(request, "limit", default: 10, 1...100)
        let offset = try Self.bounded(request, "offset", default: 0, 0...1_000_000)
        let period = try request.query.get(Int64?.self, at: "period")
        return try await leaderboards.page(boardID: try request.parameter("board"), offset: offset, limit: limit, period: period)
    }

    /// `?count=` records either side (0–50, default 5).
    func around(_ request: Request) async throws -> LeaderboardPage {
        try await leaderboards.around(boardID: try request.parameter("board"), owner: try request.parameter("owner"),
                                      count: try Self.bounded(request, "count", default: 5, 0...50))
    }

    func standing(_ request: Request) async throws -> OwnerStanding {
        try await leaderboards.standing(boardID: try request.parameter("board"), owner: try request.parameter("owner"))
    }

    /// The agent's live state while it plays; 404 once its session keys are gone.
    func agent(_ request: Request) async throws -> AgentLiveView {
        let id = try request.parameter("id")
        _ = try await reports.run(id: id)
        guard let view = try await progress.liveView(runID: id) else {
            throw APIError.notFound("run \(id) has no live agent state (it is not playing, or its session expired)")
        }
        return view
    }

    func milestones(_ request: Request) async throws -> MilestoneList {
        let id = try request.parameter("id")
        _ = try await reports.run(id: id)
        return MilestoneList(milestones: try await progress.milestones(runID: id))
    }

    /// `?limit=` runs (1–500, default 50).
    func confidence(_ request: Request) async throws -> ConfidenceTrend {
        let agent = try request.parameter("agent")
        let points = try await progress.confidenceTrend(agent: agent, limit: try Self.bounded(request, "limit", default: 50, 1...500))
        return ConfidenceTrend(agent: agent, runs: points)
    }

    static func bounded(_ request: Request, _ name: String, default value: Int, _ range: ClosedRange<Int>) throws -> Int {
        let given: Int?
        do {
            given = try request.query.get(Int?.self, at: name)
        } catch {
            throw APIError.badRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        guard let given else { return value }
        guard range.contains(given) else { throw APIError.badRequest("\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(given)") }
        return given
    }
}

struct LeaderboardList: JSONResponse {
    var boards: [LeaderboardDefinition]
}

struct MilestoneList: JSONResponse {
    var milestones: [MilestoneView]
}

struct ConfidenceTrend: JSONResponse {
    var agent: String
    var runs: [ConfidenceRun]
}

extension LeaderboardPage: JSONResponse {}
extension OwnerStanding: JSONResponse {}
extension AgentLiveView: JSONResponse {}
