import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// The web pages: server-rendered HTML from the services, so every list, result and finding is there without
/// JavaScript. A page whose data cannot be read says why, in HTML.
struct WebController: RouteCollection {
    let services: Services
    let setupToken: SetupToken
    let pictures = MapPictures()
    var maps: MapLibrary { services.maps }
    var reports: RunReports { services.reports }

    func boot(routes root: any RoutesBuilder) throws {
        try bootAccounts(root)
        let routes = root.access(.viewer)
        routes.get(use: { try await render($0, mapsLibrary) })
        routes.get("maps", ":id", use: { try await render($0, mapDetail) })
        routes.get("workers", use: { try await render($0, workersPage) })
        routes.get("runs", use: { try await render($0, runsList) })
        routes.get("runs", "compare", use: { try await render($0, comparePage) })
        routes.get("runs", ":id", use: { try await render($0, runPage) })
        routes.get("leaderboards", use: { try await render($0, leaderboardsPage) })
        routes.get("bugs", use: { try await render($0, bugsPage) })
        routes.get("bugs", ":id", use: { try await render($0, bugPage) })
        routes.get("progress", use: { try await render($0, { request in
            guard let experience = try request.query.get(String?.self, at: "experience"), !experience.isEmpty else {
                throw APIError.badRequest("name the experience: /progress?experience=… (a map's is {map_id}/MAP01)")
            }
            return PlayerAnalyticsPage(analytics: try await services.playerAnalytics.experience(experience),
                                       comparison: try await services.playerAnalytics.humansVersusAgents(experience)).page()
        }) })
        routes.get("analysis", use: { try await render($0, { _ in StatisticsPage(statistics: try await services.analysis.statistics().value()).page() }) })
        routes.get("analysis", "compare", use: { try await render($0, { request in
            let query = try CompareQuery(request)
            return AnalysisComparePage(comparison: try await services.analysis.compare(kind: query.kind, ids: query.ids, mapName: query.map, mapID: query.mapID).value()).page()
        }) })
    }

    /// Runs a handler; anything it throws becomes an HTML page with the right status saying what went wrong.
    func answer(_ request: Request, _ handle: (Request) async throws -> Response) async throws -> Response {
        do {
            return try await handle(request)
        } catch {
            return ErrorPage(error: error, request: request).page().response(for: request)
        }
    }

    /// A page built by `build`, or the error page when it throws.
    func render(_ request: Request, _ build: (Request) async throws -> WebPage) async throws -> Response {
        try await answer(request) { try await build($0).response(for: $0) }
    }

    /// Every board's top 10 (`?map_id=` for one map's).
    func leaderboardsPage(_ request: Request) async throws -> WebPage {
        let mapID = try request.query.get(String?.self, at: "map_id").flatMap { $0.isEmpty ? nil : $0.lowercased() }
        var pages: [LeaderboardPage] = []
        for board in try await services.leaderboards.boards(mapID: mapID) {
            pages.append(try await services.leaderboards.page(of: board, limit: 10))
        }
        return LeaderboardsPage(pages: pages, mapID: mapID).page()
    }

    /// The bug dashboard, with the API's filters.
    func bugsPage(_ request: Request) async throws -> WebPage {
        func text(_ name: String) throws -> String? {
            try request.query.get(String?.self, at: name).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : String($0.prefix(200)) }
        }
        var query = BugsPage.Query(mapID: try text("map_id")?.lowercased(), level: try text("level"), runID: try text("run_id"),
                                   kind: try text("kind"), severity: try text("severity"), status: try text("status"), text: try text("q"))
        query.offset = max(0, min(try request.query.get(Int?.self, at: "offset") ?? 0, 1_000_000))
        let list = try await services.findings.list(mapID: query.mapID, level: query.level, runID: query.runID, kind: query.kind,
                                                    severity: query.severity, status: query.status, text: query.text, offset: query.offset, limit: 50)
        return BugsPage(list: list, query: query, maps: try await maps.names()).page()
    }

    /// One finding: the map with its place ringed, its evidence, comments and triage.
    func bugPage(_ request: Request) async throws -> WebPage {
        let detail = try await services.findings.detail(id: try request.parameter("id"))
        let record = detail.finding.record
        var picture: MapPicture?
        if let result = try? await maps.analysis(id: record.lastMapID, mapName: record.level) {
            var options = SVGRenderOptions(layers: [.floors, .walls, .things, .overlays], pixelWidth: 960)
            options.background = "transparent"
            let ring = MapOverlay.marker(at: MapPoint(x: record.x, y: record.y), radius: 64, label: record.kind,
                                         style: OverlayStyle(stroke: "#d62728", fill: "none", strokeWidth: 3))
            picture = MapPicture(markup: SVGMapRenderer(geometry: result.geometry, options: options).render(overlays: [ring]))
        }
        return BugPage(detail: detail, picture: picture).page()
    }

    func mapsLibrary(_ request: Request) async throws -> WebPage {
        let limit = 100
        let offset = max(try request.query.get(Int?.self, at: "offset") ?? 0, 0)
        let page = try await maps.list(nameContains: nil, offset: offset, limit: limit)
        return MapsLibraryPage(
            entries: page.maps, total: page.total, offset: offset, limit: limit,
            maxUploadBytes: services.configuration.maxUploadBytes).page()
    }

    func mapDetail(_ request: Request) async throws -> WebPage {
        let map = try await maps.map(id: try request.parameter("id"))
        let requested = try request.query.get(String?.self, at: "map")
        guard let chosen = requested.map({ name in map.maps.first { $0.name.caseInsensitiveCompare(name) == .orderedSame } }) ?? map.maps.first else {
            if let requested { throw MapLibraryError.mapNotFound(requested, available: map.maps.map(\.name)) }
            throw APIError.notFound("the WAD \(map.name) has no maps")
        }
        let result = try await maps.analysis(id: map.id, mapName: chosen.name)
        let runs = try await reports.list(RunFilter(mapID: UUID(uuidString: map.id)), offset: 0, limit: 200).runs
            .filter { $0.map == chosen.name }.prefix(50)
        // Trajectories, deaths and the heatmap of the newest completed test run on this map; its paths no longer change.
        let latest = runs.first(where: { $0.kind == .testing && $0.status == .completed })
        let drawn = try await pictures.picture(key: "map/\(map.id)/\(chosen.name)/\(latest?.id ?? "-")") {
            var overlays = RunOverlays()
            if let latest {
                let episodes = try await reports.testEpisodes(id: latest.id)
                overlays = try await reports.overlays(testRun: latest.id, episodes: episodes, bounds: result.geometry.bounds, limit: 8)
            }
            var options = SVGRenderOptions(layers: [.floors, .walls, .things, .findings, .overlays], pixelWidth: 960)
            options.background = "transparent"
            let svg = SVGMapRenderer(geometry: result.geometry, options: options).render(findings: result.report.findings, overlays: overlays.overlays)
            return MapPictures.Drawn(picture: MapPicture(markup: svg), layers: overlays.layers)
        }
        let profile = try? await services.analysis.profile(mapID: map.id, mapName: chosen.name).value()
        let versions = (try? await maps.versions(of: map.id)) ?? []
        let players = try? await services.playerAnalytics.humansVersusAgents(AgentPlayers.experience(mapID: map.id, map: chosen.name))
        return MapDetailPage(
            record: map, summary: result.report.summary, findings: result.report.findings, picture: drawn.picture,
            overlayLayers: drawn.layers, runs: runs.map { RunRow($0) }, checkpoints: CheckpointChoice.builtin, profile: profile,
            versions: versions, players: players).page()
    }

    func workersPage(_ request: Request) async throws -> WebPage {
        let queue = services.queue
        async let workers = queue.workers(limit: 50)
        async let failures = queue.jobs(states: ["discarded", "retryable", "cancelled"], limit: 50)
        async let active = queue.jobs(states: ["running", "available"], limit: 100)
        let failed = try await failures
        return WorkersPage(
            workers: try await workers.workers, now: Date(), counts: failed.counts, failures: failed.jobs, active: try await active.jobs).page()
    }
}
