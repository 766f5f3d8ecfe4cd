import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// The run pages: the runs list, one run (test or training) and the compare view.
extension WebController {
    func runsList(_ request: Request) async throws -> WebPage {
        let limit = 100
        let offset = max(try request.query.get(Int?.self, at: "offset") ?? 0, 0)
        let filter = try RunFilter(request)
        let page = try await reports.list(filter, offset: offset, limit: limit)
        let maps = try await maps.names()
        return RunsListPage(
            runs: page.runs.map(RunRow.init), total: page.total, offset: offset, limit: limit,
            filter: filter, maps: maps.map { ($0.id, $0.name) }).page()
    }

    func runPage(_ request: Request) async throws -> WebPage {
        let run = try await reports.run(id: try request.parameter("id"))
        let header: RunHeader
        switch run.kind {
        case .testing:
            let status = try await reports.testStatus(id: run.id)
            let report = try await reports.testRunReport(id: run.id)
            let results = report.results
            header = RunHeader(run: run, progress: status.progress.progressPercent, eta: status.progress.estimatedRemainingSeconds,
                               completed: results.episodesCompleted,
                               text: "\(results.episodesCompleted) of \(results.totalEpisodes) episodes" + (status.latestEpisode.map {
                                   " · episode \($0.episodeNum): \($0.kills) kills, health \($0.healthRemaining)"
                               } ?? ""))
            return try await testRunPage(request, header: header, status: status, report: report)
        case .training:
            let status = try await reports.trainingStatus(id: run.id)
            let progress = status.progress
            header = RunHeader(run: run, progress: progress.progressPercent, eta: progress.estimatedRemainingSeconds,
                               completed: progress.currentIteration,
                               text: "iteration \(progress.currentIteration) of \(progress.maxIterations)" + (status.latestMetrics.map {
                                   " · loss \($0.dqnLoss.map { WebFormat.number($0, digits: 4) } ?? "–") · ε \(WebFormat.number($0.epsilon, digits: 3)) · \(WebFormat.number($0.stepsPerSecond, digits: 0)) steps/s"
                               } ?? ""))
            return TrainingRunPage(
                header: header, status: status, log: try await reports.trainingLog(id: run.id),
                checkpoints: try await reports.checkpoints(id: run.id).checkpoints).page()
        }
    }

    private func testRunPage(_ request: Request, header: RunHeader, status: TestStatus, report: TestRunReport) async throws -> WebPage {
        let id = header.id
        let results = report.results
        let finished = results.episodes.map(\.episodeNum)
        var chosen = try request.query.get(Int?.self, at: "episode") ?? finished.last
        if let wanted = chosen, !finished.contains(wanted) { chosen = finished.last }
        let log = try await chosen.asyncMap { try await reports.episodeLog(id: id, episode: $0).log }
        var viewer: MapViewer?
        if let analysis = try? await maps.analysis(id: header.run.mapID, mapName: header.run.map) {
            let plan = report.route
            let drawn = try await pictures.picture(key: header.run.status == .completed ? "run/\(id)" : nil) {
                let overlays = try await reports.overlays(testRun: id, episodes: results.episodes, bounds: analysis.geometry.bounds, limit: 12)
                var options = SVGRenderOptions(layers: [.floors, .walls, .things, .overlays, .route], pixelWidth: 960)
                options.background = "transparent"
                let svg = SVGMapRenderer(geometry: analysis.geometry, options: options)
                    .render(overlays: overlays.overlays, route: plan.map(RouteDrawing.init(plan:)))
                return MapPictures.Drawn(picture: MapPicture(markup: svg), layers: overlays.layers + (plan == nil ? [] : ["route"]))
            }
            viewer = MapViewer(picture: drawn.picture, label: "Map \(header.run.map) with this run's trajectories",
                               overlayLayers: drawn.layers, hasFindings: false)
        }
        let isActive = !header.run.status.isFinal
        // The live view is hot state: a live store that cannot answer leaves it empty, never the page.
        let live = isActive ? try? await services.progress.liveView(runID: id) : nil
        let agentName = AgentIdentity.name(agent: header.run.agent, checkpoint: header.run.checkpoint)
        let agent = AgentPanels(live: live, milestones: try await services.progress.milestones(runID: id), isActive: isActive,
                                agent: agentName, trend: try await services.progress.confidenceTrend(agent: agentName, limit: 30))
        let told = isActive ? nil : try await reports.evidenceAndNarrative(of: report)
        return TestRunPage(header: header, status: status, results: results, chosenEpisode: chosen, log: log, map: viewer, artifacts: report.artifacts,
                           agent: agent, evidence: told?.evidence, videoStart: try request.query.get(Double?.self, at: "t").flatMap { $0.isFinite && $0 >= 0 ? $0 : nil },
                           narrative: told?.narrative).page()
    }

    func comparePage(_ request: Request) async throws -> WebPage {
        let ids = Self.repeatedQuery(request.url.query, key: "id")
        guard (2...4).contains(ids.count) else {
            throw APIError.badRequest("pick 2 to 4 test runs to compare (got \(ids.count)); tick them in the runs list")
        }
        var columns: [ComparePage.Column] = []
        for id in ids {
            let run = try await reports.run(id: id)
            guard run.kind == .testing else { throw APIError.badRequest("\(id) is a training run; only test runs can be compared") }
            columns.append(ComparePage.Column(id: id, map: run.map, mapName: run.mapName, agent: run.agent, status: run.status.rawValue,
                                              results: try await reports.testResults(id: id)))
        }
        return ComparePage(columns: columns).page()
    }

    /// Every value of `key` in a query string (`id=a&id=b`), percent-decoded.
    static func repeatedQuery(_ query: String?, key: String) -> [String] {
        guard let query else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == key else { return nil }
            let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])
            return value.isEmpty ? nil : value
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
