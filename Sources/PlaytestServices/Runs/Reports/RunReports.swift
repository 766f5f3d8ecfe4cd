import Foundation
import PlaytestCore
import PlaytestStorage

/// Everything clients read about runs: lists, status, results, logs, checkpoints, artifacts and their files.
///
/// Status is what clients poll hardest: while a worker plays a run (its live hash says `running`, its heartbeat is
/// alive, no stop was asked for) it is answered from the live state alone, without SQL; otherwise from SQL. A run
/// that has completed serves its aggregate figures from `runs.summary`.
public struct RunReports: Sendable {
    let runs: RunStore
    let tests: TestTelemetryStore
    let trainings: TrainingTelemetryStore
    let live: RunLiveState
    let blobs: any BlobStore
    let users: UserStore
    let progressions: MapProgressionStore
    let findings: FindingStore
    let now: @Sendable () -> Date

    /// `now` is the clock for elapsed and remaining times.
    public init(engines: PlaytestEngines, now: @escaping @Sendable () -> Date = { Date() }) {
        self.runs = RunStore(sql: engines.sql)
        self.tests = TestTelemetryStore(sql: engines.sql)
        self.trainings = TrainingTelemetryStore(sql: engines.sql)
        self.live = RunLiveState(live: engines.live)
        self.blobs = engines.blobs
        self.users = UserStore(sql: engines.sql)
        self.progressions = MapProgressionStore(sql: engines.sql)
        self.findings = FindingStore(sql: engines.sql)
        self.now = now
    }

    // MARK: runs

    /// A page of runs, newest first.
    public func list(_ filter: RunFilter, offset: Int, limit: Int) async throws -> RunList {
        let page = try await runs.list(kind: filter.kind, status: filter.status, mapID: filter.mapID, offset: offset, limit: limit)
        var views = try page.runs.map(RunView.init)
        let owners = try await users.emails(ids: views.compactMap(\.createdBy))
        for index in views.indices { views[index].owner = views[index].createdBy.flatMap { owners[$0] } }
        return RunList(runs: views, total: page.total, offset: offset, limit: limit)
    }

    /// The run with this id, of `kind` when given; ``RunReportError/notFound(_:kind:)`` otherwise.
    public func run(id: String, kind: RunKind? = nil) async throws -> RunView {
        var view = try RunView(try await record(id, kind: kind, withMap: true))
        if let owner = view.createdBy { view.owner = try await users.emails(ids: [owner])[owner] }
        return view
    }

    /// The run with this id, of `kind` when given, with its library entry's row when `withMap`.
    func record(_ id: String, kind: RunKind?, withMap: Bool = false) async throws -> RunRecord {
        guard let run = try await runs.run(id: id, withMap: withMap), kind == nil || run.kind == kind else { throw RunReportError.notFound(id, kind: kind) }
        return run
    }

    // MARK: status

    public func testStatus(id: String) async throws -> TestStatus {
        TestStatus(try await statusFacts(id, kind: .testing), now: now())
    }

    public func trainingStatus(id: String) async throws -> TrainingStatus {
        TrainingStatus(try await statusFacts(id, kind: .training), now: now())
    }

    func statusFacts(_ id: String, kind: RunKind) async throws -> RunStatusFacts {
        if RunKind(runID: id) == kind, let snapshot = try? await live.playing(runID: id), let facts = Self.facts(id, kind: kind, snapshot) {
            return facts
        }
        return try await storedFacts(try await record(id, kind: kind, withMap: true))
    }

    /// The facts of a run a worker is playing, from its live hash alone; nil when the hash lacks what is needed.
    static func facts(_ id: String, kind: RunKind, _ snapshot: LiveRunSnapshot) -> RunStatusFacts? {
        guard let mapID = snapshot.mapID, let mapName = snapshot.mapName, let map = snapshot.map, let started = snapshot.startedAt else {
            return nil
        }
        var facts = RunStatusFacts(
            id: id, status: snapshot.status, mapID: mapID, mapName: mapName, map: map, checkpoint: snapshot.checkpoint, startedAt: started,
            done: 0, total: 0, current: 0)
        switch kind {
        case .testing:
            guard let total = snapshot.totalEpisodes else { return nil }
            facts.latestEpisode = snapshot.latestEpisode.flatMap { try? PlaytestJSON.decode(TestStatus.LatestEpisode.self, from: $0) }
            // Episodes finish in order and count from 1, so the newest finished one tells how many have.
            facts.done = facts.latestEpisode?.episodeNum ?? 0
            facts.total = total
            facts.current = snapshot.currentEpisode ?? facts.done
            facts.steps = snapshot.steps ?? 0
        case .training:
            guard let maxIterations = snapshot.maxIterations else { return nil }
            facts.latestMetrics = snapshot.latestMetrics.flatMap { try? TrainingLogPoint(json: $0) }
            facts.done = snapshot.currentIteration ?? facts.latestMetrics?.iteration ?? 0
            facts.total = maxIterations
            facts.current = facts.done
        }
        return facts
    }

    /// The facts of a run from SQL (pending, stopping, over, no worker, or the live store unreachable); the live hash
    /// still adds the newest figures of a run that is not over.
    func storedFacts(_ run: RunRecord) async throws -> RunStatusFacts {
        let id = try run.requireID()
        let snapshot = run.status.isFinal ? nil : try? await live.read(runID: id)
        var facts = RunStatusFacts(
            id: id, status: run.status, mapID: run.$map.id.uuidString.lowercased(), mapName: try run.requireLibraryMap().name,
            map: run.mapName, checkpoint: run.checkpoint, startedAt: run.startedAt ?? snapshot?.startedAt, completedAt: run.completedAt,
            error: run.error, done: 0, total: run.target, current: 0)
        switch run.kind {
        case .testing:
            facts.done = try await tests.finishedEpisodeCount(runID: id)
            facts.latestEpisode = snapshot?.latestEpisode.flatMap { try? PlaytestJSON.decode(TestStatus.LatestEpisode.self, from: $0) }
            if facts.latestEpisode == nil, facts.done > 0, let stored = try await tests.latestEpisode(runID: id) {
                facts.latestEpisode = TestStatus.LatestEpisode(stored.metrics, finishedAt: stored.finishedAt)
            }
            facts.current = snapshot?.currentEpisode ?? facts.done
            if let steps = snapshot?.steps { facts.steps = steps } else { facts.steps = try await tests.stepCount(runID: id) }
        case .training:
            facts.latestMetrics = snapshot?.latestMetrics.flatMap { try? TrainingLogPoint(json: $0) }
            var iteration = snapshot?.currentIteration
            if facts.latestMetrics == nil || iteration == nil, let stored = try await trainings.latestTrainingMetric(runID: id) {
                facts.latestMetrics = facts.latestMetrics ?? TrainingLogPoint(stored)
                iteration = iteration ?? stored.iteration
            }
            facts.done = iteration ?? run.progress
            facts.current = facts.done
            facts.total = snapshot?.maxIterations ?? run.target
        }
        return facts
    }

    // MARK: test runs

    public func testResults(id: String) async throws -> TestResults {
        try await testRunReport(id: id, withFiles: false).results
    }

    /// A test run's results with what its page shows beside them, each read once: its files and the planner's route
    /// as the worker stored it at the run's start (nothing is planned here).
    public func testRunReport(id: String) async throws -> TestRunReport {
        try await testRunReport(id: id, withFiles: true)
    }

    private func testRunReport(id: String, withFiles: Bool) async throws -> TestRunReport {
        let run = try await record(id, kind: .testing, withMap: true)
        let episodes = try await tests.episodes(runID: id)
        // A completed run's aggregate was written once, when it completed; a run still going is aggregated now.
        let aggregate: AggregateMetrics
        if case .testing(let stored) = try RunSummary(json: run.summary, kind: .testing) {
            aggregate = stored
        } else {
            aggregate = AggregateMetrics(episodes: episodes)
        }
        // VizDoom scenario arenas have no exit; the two exit pressures and the completion verdict are left out for them.
        let plan = try? RunPlan(json: run.plan)
        let scenario = plan?.scenario
        let map = try run.requireLibraryMap()
        let artifacts = withFiles || scenario == nil ? try await tests.artifacts(runID: id) : []
        var completion: RunCompletion?
        var route: ProgressionPlan?
        if scenario == nil {
            let skill = plan?.skill ?? 3
            route = try await progressions.plan(sha256: map.sha256, map: run.mapName, skill: skill, revision: ProgressionPlanner.revision)
            completion = RunCompletion(
                episodes: episodes, artifacts: artifacts, plan: route,
                progressionURL: "/api/v1/maps/\(run.$map.id.uuidString.lowercased())/maps/\(run.mapName)/progression?skill=\(skill)",
                stopped: run.status == .stopped)
        }
        let results = TestResults(
            testID: id, status: run.status, mapID: run.$map.id.uuidString.lowercased(), mapName: map.name, map: run.mapName,
            agent: run.agent,
            checkpoint: run.checkpoint, totalEpisodes: run.target, episodesCompleted: episodes.count, episodes: episodes,
            aggregateMetrics: aggregate,
            // God mode tests navigation only: deaths and damage do not count, so it has no hardness.
            hardness: plan?.godMode == true ? nil : HardnessScore(episodes: episodes, skill: plan?.skill, mapHasExit: scenario == nil),
            startedAt: run.startedAt, completedAt: run.completedAt, durationSeconds: elapsed(run), error: run.error, completion: completion)
        return TestRunReport(results: results, artifacts: artifacts.map(ArtifactView.init), route: route, plan: plan)
    }

    /// A test run's finished episodes without the rest of its results (the map page draws their paths; it needs no
    /// completion verdict, whose stored plan is the costly part of ``testResults(id:)``).
    public func testEpisodes(id: String) async throws -> [EpisodeMetrics] {
        try await tests.episodes(runID: id)
    }

    /// One finished episode's timeline (episodes count from 1); the newest finished one when `episode` is nil.
    public func episodeLog(id: String, episode: Int?) async throws -> TestLog {
        _ = try await record(id, kind: .testing)
        let finished = try await tests.finishedEpisodeCount(runID: id)
        guard let number = episode ?? (finished > 0 ? finished : nil) else { throw RunReportError.noEpisode(id, requested: nil, finished: 0) }
        guard var log = try await tests.episodeLog(runID: id, episode: number) else {
            throw RunReportError.noEpisode(id, requested: number, finished: finished)
        }
        log.episodeNum = number
        return TestLog(testID: id, log: log)
    }

    /// A run's screenshots and demos.
    public func artifacts(id: String) async throws -> ArtifactList {
        _ = try await record(id, kind: nil)
        return ArtifactList(runID: id, artifacts: try await tests.artifacts(runID: id).map(ArtifactView.init))
    }

    /// A test run's video and colour screenshots per finished episode, with the moments to mark (docs/evidence.md).
    public func evidence(id: String) async throws -> RunEvidenceList {
        let run = try await record(id, kind: .testing)
        return try await evidence(runID: id, plan: try? RunPlan(json: run.plan), episodes: try await tests.episodes(runID: id),
                                  artifacts: try await tests.artifacts(runID: id).map(ArtifactView.init),
                                  sightings: try await findings.playSightings(runID: id))
    }

    /// A test run told in words (rule-based, docs/evidence.md "Summaries").
    public func narrative(id: String) async throws -> RunNarrative {
        try await evidenceAndNarrative(of: try await testRunReport(id: id)).narrative
    }

    /// A finished run's evidence and its narrative from its report, which the caller has read (the run page has).
    public func evidenceAndNarrative(of report: TestRunReport) async throws -> (evidence: RunEvidenceList, narrative: RunNarrative) {
        let id = report.results.testID
        let sightings = try await findings.playSightings(runID: id)
        let evidence = try await evidence(runID: id, plan: report.plan, episodes: report.results.episodes, artifacts: report.artifacts,
                                          sightings: sightings)
        let narrative = RunNarrative(results: report.results, skill: report.plan?.skill, godMode: report.plan?.godMode == true,
                                     sightings: sightings, evidence: evidence, prose: try await tests.prose(runID: id))
        return (evidence, narrative)
    }

    private func evidence(runID id: String, plan: RunPlan?, episodes: [EpisodeMetrics], artifacts: [ArtifactView],
                          sightings: [(finding: FindingRecord, sighting: FindingSighting)]) async throws -> RunEvidenceList {
        let stored = Dictionary(try await tests.evidence(runID: id).map { ($0.episode, $0) }, uniquingKeysWith: { a, _ in a })
        let files = Dictionary(grouping: artifacts.filter { $0.kind == "video" || $0.kind == "frame" }, by: \.episode)
        let seen = Dictionary(grouping: sightings, by: { $0.sighting.episode ?? 0 })
        let views = episodes.map { episode in
            EpisodeEvidenceView(episode: episode, stored: stored[episode.episodeNum], artifacts: files[episode.episodeNum] ?? [],
                                sightings: seen[episode.episodeNum] ?? [])
        }
        return RunEvidenceList(runID: id, requested: plan?.evidence == true, episodes: views)
    }

    /// A screenshot (`.png`) or demo (`.lmp`) file, with the name it downloads as.
    public func artifactFile(id: String) async throws -> (file: StoredFile, filename: String, artifact: ArtifactView) {
        guard let info = try await tests.artifact(id: id) else { throw RunReportError.noFile(id) }
        let view = ArtifactView(info)
        let filename = "\(info.runID)_episode\(info.episode)_tic\(info.tic)" + view.fileExtension
        return (try await StoredFile.open(info.blobKey, named: filename, in: blobs), filename, view)
    }

    /// Trajectories, deaths and a heatmap of the newest `limit` finished episodes of a test run.
    public func overlays(testRun id: String, episodes: [EpisodeMetrics], bounds: MapBounds, limit: Int) async throws -> RunOverlays {
        var steps: [Int: [StepRow]] = [:]
        for episode in episodes.suffix(limit) { steps[episode.episodeNum] = try await tests.steps(runID: id, episode: episode.episodeNum) }
        return RunOverlays.build(steps: steps, episodes: episodes, bounds: bounds, findings: try await findings.playSightings(runID: id))
    }

    // MARK: training runs

    public func trainingLog(id: String) async throws -> TrainingLog {
        let run = try await record(id, kind: .training, withMap: true)
        let points = try await trainings.trainingMetrics(runID: id).map(TrainingLogPoint.init)
        var finalIteration = Self.finalIteration(logged: points.last?.iteration, progress: run.progress)
        var duration = elapsed(run)
        if case .training(let summary) = try RunSummary(json: run.summary, kind: .training) {
            finalIteration = summary.finalIteration
            duration = summary.durationSeconds
        }
        return TrainingLog(
            trainingID: id, status: run.status, mapID: run.$map.id.uuidString.lowercased(), mapName: try run.requireLibraryMap().name,
            map: run.mapName, iterations: points, startedAt: run.startedAt, completedAt: run.completedAt, durationSeconds: duration,
            maxIterations: run.target, finalIteration: finalIteration, error: run.error)
    }

    public func checkpoints(id: String) async throws -> CheckpointList {
        _ = try await record(id, kind: .training)
        return CheckpointList(trainingID: id, checkpoints: try await trainings.checkpoints(runID: id).map(CheckpointView.init))
    }

    /// A stored checkpoint's `.pt` file.
    public func checkpointFile(id: String) async throws -> (file: StoredFile, filename: String) {
        guard let info = try await trainings.checkpoint(id: id) else { throw RunReportError.noFile(id) }
        return (try await StoredFile.open(info.blobKey, named: "\(id).pt", in: blobs), "\(id).pt")
    }

    // MARK: parts

    /// Seconds from start to completion, or to now while the run goes; nil before it started.
    func elapsed(_ run: RunRecord) -> Double? {
        guard let started = run.startedAt else { return nil }
        return max(0, (run.completedAt ?? now()).timeIntervalSince(started))
    }

    /// The newest iteration known: the run's progress (the agent's last iteration) or the last logged point.
    static func finalIteration(logged: Int?, progress: Int) -> Int? {
        let best = max(logged ?? 0, progress)
        return best > 0 ? best : nil
    }
}

/// What a report could not find.
public enum RunReportError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String, kind: RunKind?)
    case noEpisode(String, requested: Int?, finished: Int)
    case noFile(String)

    public var description: String {
        switch self {
        case .notFound(let id, let kind): "no \(kind?.noun ?? "run") \(id.debugDescription)"
        case .noEpisode(let id, nil, _): "test run \(id) has no finished episode yet"
        case .noEpisode(let id, let requested?, let finished):
            "test run \(id) has no finished episode \(requested)" + (finished > 0 ? " (episodes 1...\(finished) have finished)" : " (none has finished yet)")
        case .noFile(let id): "no artifact or checkpoint \(id.debugDescription)"
        }
    }
}
