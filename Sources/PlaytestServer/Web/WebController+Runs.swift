import FluentKit
import Foundation
import PlaytestCore
import PlaytestStorage
import Vapor

/// The run pages: the runs list, one run (test or training) and the compare view.
extension WebController {
    func runsList(_ request: Request) async throws -> WebPage {
        let limit = 100
        let offset = max(try request.query.get(Int?.self, at: "offset") ?? 0, 0)
        var filter = RunFilter()
        if let text = try request.query.get(String?.self, at: "status"), !text.isEmpty {
            guard let status = RunRecord.Status(rawValue: text) else { throw APIError.badRequest("unknown status \(text.debugDescription)") }
            filter.status = status
        }
        if let text = try request.query.get(String?.self, at: "kind"), !text.isEmpty {
            guard let kind = RunRecord.Kind(rawValue: text) else { throw APIError.badRequest("unknown kind \(text.debugDescription)") }
            filter.kind = kind
        }
        if let text = try request.query.get(String?.self, at: "map_id"), !text.isEmpty {
            guard let id = UUID(uuidString: text) else { throw APIError.badRequest("map_id \(text.debugDescription) is not a map id") }
            filter.mapID = id
        }
        let page = try await runStore.list(filter, offset: offset, limit: limit)
        let maps = try await MapRecord.query(on: engines.sql.database).field(\.$id).field(\.$name).sort(\.$name).limit(1000).all()
        let names = Dictionary(uniqueKeysWithValues: maps.compactMap { map in map.id.map { ($0, map.name) } })
        let rows = page.runs.map { RunRow($0, wadName: names[$0.$map.id]) }
        return RunsListPage(
            runs: rows, total: page.total, offset: offset, limit: limit, filter: filter,
            maps: maps.compactMap { map in map.id.map { ($0.uuidString.lowercased(), map.name) } }).page()
    }

    func runPage(_ request: Request) async throws -> WebPage {
        let id = request.parameters.get("id") ?? ""
        guard let run = try await runStore.run(id: id) else {
            throw APIError.notFound("no run \(id.debugDescription); it may have been deleted with its map")
        }
        let wad = try await library.record(id: run.$map.id)
        switch run.kind {
        case .testing: return try await testRunPage(request, run: run, id: id, wad: wad)
        case .training: return try await trainingRunPage(run: run, id: id, wad: wad)
        }
    }

    private func testRunPage(_ request: Request, run: RunRecord, id: String, wad: MapRecord?) async throws -> WebPage {
        let status = try await reports.testStatus(run)
        let results = try await reports.testResults(run)
        let finished = results.episodes.map(\.episodeNum)
        var chosen = try request.query.get(Int?.self, at: "episode") ?? finished.last
        if let wanted = chosen, !finished.contains(wanted) { chosen = finished.last }
        let log = try await chosen.asyncMap { try await telemetry.episodeLog(runID: id, episode: $0) } ?? nil
        let artifacts = try await telemetry.artifacts(runID: id)
        var viewer: MapViewer?
        if let wad, let analysis = try? await library.report(for: wad, mapName: run.mapName) {
            var steps: [Int: [StepRow]] = [:]
            for episode in finished.suffix(12) { steps[episode] = try await telemetry.steps(runID: id, episode: episode) }
            let overlays = RunOverlays.build(steps: steps, episodes: results.episodes, bounds: analysis.geometry.bounds)
            var options = SVGRenderOptions(layers: [.floors, .walls, .things, .overlays], pixelWidth: 960)
            options.background = "transparent"
            let svg = SVGMapRenderer(geometry: analysis.geometry, options: options).render(overlays: overlays.overlays)
            viewer = MapViewer(picture: MapPicture(markup: svg), label: "Map \(run.mapName) with this run's trajectories", overlayLayers: overlays.layers, hasFindings: false)
        }
        let active = RunRecord.Status.active.contains(run.status)
        let progress = status.progress
        let header = RunHeader(
            run: run, id: id, wadName: wad?.name, progressPercent: progress.progressPercent,
            progressText: "\(results.episodesCompleted) of \(results.totalEpisodes) episodes" + (status.latestEpisode.map {
                " · episode \($0.episodeNum + 1): \($0.kills) kills, health \($0.healthRemaining)"
            } ?? ""),
            eta: RunHeader.eta(progress.estimatedRemainingSeconds, active: active), completed: results.episodesCompleted)
        return TestRunPage(header: header, status: status, results: results, chosenEpisode: chosen, log: log, map: viewer, artifacts: artifacts).page()
    }

    private func trainingRunPage(run: RunRecord, id: String, wad: MapRecord?) async throws -> WebPage {
        let status = try await reports.trainingStatus(run)
        let log = try await reports.trainingLog(run)
        let checkpoints = try await telemetry.checkpoints(runID: id)
        let active = RunRecord.Status.active.contains(run.status)
        let progress = status.progress
        let latest = status.latestMetrics
        let header = RunHeader(
            run: run, id: id, wadName: wad?.name, progressPercent: progress.progressPercent,
            progressText: "iteration \(progress.currentIteration) of \(progress.maxIterations)" + (latest.map {
                " · loss \($0.dqnLoss.map { WebFormat.number($0, digits: 4) } ?? "–") · ε \(WebFormat.number($0.epsilon, digits: 3)) · \(WebFormat.number($0.stepsPerSecond, digits: 0)) steps/s"
            } ?? ""),
            eta: RunHeader.eta(progress.estimatedRemainingSeconds, active: active), completed: progress.currentIteration)
        return TrainingRunPage(header: header, status: status, log: log, checkpoints: checkpoints).page()
    }

    func comparePage(_ request: Request) async throws -> WebPage {
        let ids = Self.repeatedQuery(request.url.query, key: "id")
        guard (2...4).contains(ids.count) else {
            throw APIError.badRequest("pick 2 to 4 test runs to compare (got \(ids.count)); tick them in the runs list")
        }
        var columns: [ComparePage.Column] = []
        for id in ids {
            guard let run = try await runStore.run(id: id) else { throw APIError.notFound("no run \(id.debugDescription)") }
            guard run.kind == .testing else { throw APIError.badRequest("\(id) is a training run; only test runs can be compared") }
            columns.append(ComparePage.Column(id: id, mapName: run.mapName, agent: run.agent, status: run.status.rawValue,
                                              results: try await reports.testResults(run)))
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
