import FluentKit
import Foundation
import PlaytestCore
import PlaytestStorage
import Vapor

/// The web pages: server-rendered HTML that reads straight from storage, so every list, result
/// and finding is there without JavaScript. A page whose data cannot be read says why, in HTML.
struct WebController: RouteCollection {
    let engines: PlaytestEngines
    let library: MapLibrary
    let runStore: RunStore
    let telemetry: RunTelemetryStore
    let reports: RunReports

    init(engines: PlaytestEngines, library: MapLibrary) {
        self.engines = engines
        self.library = library
        runStore = RunStore(sql: engines.sql)
        telemetry = RunTelemetryStore(sql: engines.sql)
        reports = RunReports(runs: runStore, telemetry: telemetry, live: RunLiveState(live: engines.live))
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: { try await render($0, mapsLibrary) })
        routes.get("maps", ":id", use: { try await render($0, mapDetail) })
        routes.get("workers", use: { try await render($0, workersPage) })
        routes.get("runs", use: { try await render($0, runsList) })
        routes.get("runs", "compare", use: { try await render($0, comparePage) })
        routes.get("runs", ":id", use: { try await render($0, runPage) })
    }

    /// Runs `build` and turns any error into an HTML error page with the right status.
    func render(_ request: Request, _ build: (Request) async throws -> WebPage) async throws -> Response {
        do {
            return try await build(request).response()
        } catch {
            return ErrorPage(error: error, request: request).page().response()
        }
    }

    func mapsLibrary(_ request: Request) async throws -> WebPage {
        let limit = 100
        let offset = max(try request.query.get(Int?.self, at: "offset") ?? 0, 0)
        let page = try await library.list(nameContains: nil, offset: offset, limit: limit)
        let counts = try await library.runCounts(mapIDs: page.records.compactMap(\.id))
        let entries = page.records.compactMap { record -> MapsLibraryPage.Entry? in
            guard let id = record.id else { return nil }
            return MapsLibraryPage.Entry(record: record, id: id.uuidString.lowercased(), runs: counts[id] ?? (0, 0))
        }
        return MapsLibraryPage(
            entries: entries, total: page.total, offset: offset, limit: limit,
            maxUploadBytes: engines.configuration.maxUploadBytes).page()
    }

    func mapDetail(_ request: Request) async throws -> WebPage {
        let record = try await findMap(request)
        let id = try record.requireID()
        let summaries = record.mapSummaries
        let requested = try request.query.get(String?.self, at: "map")
        guard let chosen = requested.map({ name in summaries.first { $0.name.caseInsensitiveCompare(name) == .orderedSame } }) ?? summaries.first else {
            if let requested {
                throw APIError.notFound(MapLibraryError.mapNotFound(requested, available: summaries.map(\.name)).description)
            }
            throw APIError.notFound("the WAD \(record.name) has no maps")
        }
        let result: MapAnalysisResult
        do {
            result = try await library.report(for: record, mapName: chosen.name)
        } catch let error as MapLibraryError {
            throw MapsController.apiError(error)
        }
        let runs = try await runStore.list(RunFilter(mapID: id), offset: 0, limit: 200).runs.filter { $0.mapName == chosen.name }.prefix(50)
        var options = SVGRenderOptions(layers: [.floors, .walls, .things, .findings, .overlays], pixelWidth: 960)
        options.background = "transparent"
        // Trajectories, deaths and the heatmap of the newest finished test run on this map.
        var overlays: (overlays: [MapOverlay], layers: [String]) = ([], [])
        if let latest = runs.first(where: { $0.kind == .testing && $0.status == .completed }), let runID = latest.id {
            let episodes = try await telemetry.episodes(runID: runID)
            var steps: [Int: [StepRow]] = [:]
            for episode in episodes.suffix(8) { steps[episode.episodeNum] = try await telemetry.steps(runID: runID, episode: episode.episodeNum) }
            overlays = RunOverlays.build(steps: steps, episodes: episodes, bounds: result.geometry.bounds)
        }
        let svg = SVGMapRenderer(geometry: result.geometry, options: options).render(findings: result.report.findings, overlays: overlays.overlays)
        return MapDetailPage(
            record: record, wadID: id.uuidString.lowercased(), summaries: summaries, summary: result.report.summary,
            findings: result.report.findings, picture: MapPicture(markup: svg), overlayLayers: overlays.layers,
            runs: runs.map { RunRow($0) }, checkpoints: CheckpointChoice.builtin).page()
    }

    func workersPage(_ request: Request) async throws -> WebPage {
        let now = engines.workers.nowMilliseconds
        let workers = try await engines.workers.recent(limit: 50)
        let counts = try await engines.queue.counts()
        let failures = try await engines.queue.list(states: [.discarded, .retryable, .cancelled], limit: 50)
        let active = try await engines.queue.list(states: [.running, .available], limit: 100)
        return WorkersPage(workers: workers, now: now, counts: counts, failures: failures, active: active).page()
    }

    private func findMap(_ request: Request) async throws -> MapRecord {
        let text = request.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text), let record = try await library.record(id: id) else {
            throw APIError.notFound("no map with id \(text.debugDescription); it may have been deleted")
        }
        return record
    }
}
