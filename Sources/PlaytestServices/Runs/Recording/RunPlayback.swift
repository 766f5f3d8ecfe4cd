import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// What a worker asks of the services while it plays a run: begin an attempt (the run becomes `running`), pick up
/// where an earlier attempt stopped, record the agent's output (``TestRunRecorder``, ``TrainingRunRecorder``), and
/// end the run through the ``RunLifecycle``.
public struct RunPlayback: Sendable {
    let runs: RunStore
    let maps: MapStore
    let tests: TestTelemetryStore
    let trainings: TrainingTelemetryStore
    let live: RunLiveState
    let blobs: any BlobStore
    let library: MapLibrary
    let progressions: MapProgressions
    public let lifecycle: RunLifecycle
    /// Agents' live state, milestones and leaderboards.
    public let progress: AgentProgress
    let findings: Findings
    /// Each completed test run's video and colour screenshots.
    public let evidence: RunEvidence
    public let options: RecordingOptions

    public init(engines: PlaytestEngines, lifecycle: RunLifecycle, library: MapLibrary, options: RecordingOptions = RecordingOptions()) {
        self.runs = RunStore(sql: engines.sql)
        self.maps = MapStore(sql: engines.sql)
        self.tests = TestTelemetryStore(sql: engines.sql)
        self.trainings = TrainingTelemetryStore(sql: engines.sql)
        self.live = RunLiveState(live: engines.live)
        self.blobs = engines.blobs
        self.library = library
        self.progressions = MapProgressions(engines: engines, library: library)
        self.lifecycle = lifecycle
        self.progress = AgentProgress(engines: engines, logger: lifecycle.logger)
        self.findings = Findings(engines: engines, library: library, progressions: progressions)
        self.evidence = RunEvidence(engines: engines, retry: options.outageRetry, library: library, playFindings: findings)
        self.options = options
    }

    /// The same playback writing in batches of another size (tests, benchmarks).
    public func with(_ options: RecordingOptions) -> RunPlayback {
        RunPlayback(runs: runs, maps: maps, tests: tests, trainings: trainings, live: live, blobs: blobs, library: library,
                    progressions: progressions, lifecycle: lifecycle, progress: progress, findings: findings, evidence: evidence,
                    options: options)
    }

    private init(runs: RunStore, maps: MapStore, tests: TestTelemetryStore, trainings: TrainingTelemetryStore, live: RunLiveState,
                 blobs: any BlobStore, library: MapLibrary, progressions: MapProgressions, lifecycle: RunLifecycle,
                 progress: AgentProgress, findings: Findings, evidence: RunEvidence, options: RecordingOptions) {
        self.runs = runs
        self.maps = maps
        self.tests = tests
        self.trainings = trainings
        self.live = live
        self.blobs = blobs
        self.library = library
        self.progressions = progressions
        self.lifecycle = lifecycle
        self.progress = progress
        self.findings = findings
        self.evidence = evidence
        self.options = options
    }

    /// Loads the run and marks it running. nil when there is nothing to play: it already ended, or a stop was asked
    /// for before it started (then it is stopped here). ``RunUnplayable`` when it never can be played (it failed).
    public func begin(runID: String, logger: Logger) async throws -> PlayingRun? {
        guard let run = try await runs.run(id: runID) else {
            throw RunUnplayable(message: "run \(runID) does not exist (deleted with its map?)")
        }
        if run.status.isFinal { return nil }
        var logger = logger
        logger[metadataKey: "run"] = "\(runID)"
        let plan: RunPlan
        do {
            plan = try RunPlan(json: run.plan)
        } catch {
            return try await unplayable(run, "the run's plan is unreadable: \(error)")
        }
        guard let map = try await maps.record(id: run.$map.id) else {
            return try await unplayable(run, "the run's map is no longer in the library")
        }
        switch try await lifecycle.start(runID, kind: run.kind) {
        case .started:
            let startedAt = try await runs.run(id: runID)?.startedAt ?? Date()
            return PlayingRun(
                id: runID, kind: run.kind, plan: plan, map: try PlayableMap(map), target: run.target, startedAt: startedAt,
                logger: logger, playback: self)
        case .stopping:
            try await lifecycle.stop(runID, kind: run.kind)
            logger.info("run stopped before it started")
            return nil
        }
    }

    private func unplayable(_ run: RunRecord, _ reason: String) async throws -> PlayingRun? {
        let id = try run.requireID()
        try await lifecycle.fail(id, kind: run.kind, error: reason, stderrTail: nil)
        throw RunUnplayable(message: "run \(id): \(reason)")
    }

    /// The run's status now (a stop request shows here as `stopping`).
    public func status(_ run: PlayingRun) async throws -> RunStatus? {
        try await runs.status(id: run.id)
    }

    // MARK: test runs

    /// Where a test run picks up: its finished episodes stay, whatever an earlier attempt left of the next one goes.
    public func resumeTest(_ run: PlayingRun) async throws -> (finished: Int, steps: Int) {
        let finished = try await tests.finishedEpisodeCount(runID: run.id)
        try await tests.discardEpisodes(runID: run.id, from: finished + 1)
        return (finished, try await tests.stepCount(runID: run.id))
    }

    /// The recorder of an attempt that plays the episodes after the `finished` ones.
    public func testRecorder(_ run: PlayingRun, finished: Int, steps: Int) async throws -> TestRunRecorder {
        let geometry = try? await library.analysis(mapID: UUID(uuidString: run.map.id) ?? UUID(), mapName: run.plan.mapName)?.geometry
        return TestRunRecorder(
            run: run, telemetry: TestRunTelemetry(map: geometry.map(TelemetryMap.init(geometry:))),
            agent: try await progress.begin(run, finished: finished), finished: finished, stepsBefore: steps)
    }

    /// The progression planner's verdict and graph for a test run's map at its skill, kept for the run's `completion`
    /// (the navigator plays the route on the graph). nil for a VizDoom scenario, which is not a level with an exit.
    public func progression(_ run: PlayingRun) async throws -> (result: ProgressionPlanner.Result, geometry: MapGeometry)? {
        guard run.plan.scenario == nil, let mapID = UUID(uuidString: run.map.id),
              let analysis = try await library.analysis(mapID: mapID, mapName: run.plan.mapName) else { return nil }
        return (try await progressions.plan(geometry: analysis.geometry, sha256: run.map.sha256, skill: run.plan.skill), analysis.geometry)
    }

    /// A stopped test run keeps whole episodes only: the rows of the one the stop cut short go.
    public func keepFinishedEpisodes(_ run: PlayingRun) async throws {
        let kept = try await tests.finishedEpisodeCount(runID: run.id)
        try await tests.discardEpisodes(runID: run.id, from: kept + 1)
    }

    /// Ends a test run whose episodes are all played: completed, with its aggregate as its summary. `planned`: the
    /// planner's result for the run's map, when the attempt has it (the run's softlocks and sequence breaks are judged
    /// against its graph; without it they are not).
    public func completeTest(_ run: PlayingRun, planned: ProgressionPlanner.Result? = nil) async throws {
        let episodes = try await tests.episodes(runID: run.id, withEvents: false)
        let aggregate = AggregateMetrics(episodes: episodes)
        // Before the run completes, so a failure retries the attempt; every map board keeps the best, so twice is once.
        try await progress.recordOnBoards(run, episodes: episodes)
        // Without the map's geometry (a map that cannot be read again) the agent's sectors are not recorded.
        let geometry = try? await library.analysis(mapID: UUID(uuidString: run.map.id) ?? UUID(), mapName: run.plan.mapName)?.geometry
        // Each episode's steps, read once: the sectors it entered (the agent's waypoints, the run's findings) and where
        // the player was (the findings that judge places).
        var entered: [Int: [Int]] = [:]
        var traces: [EpisodeTrace] = []
        if let geometry {
            for episode in episodes {
                let steps = try await tests.steps(runID: run.id, episode: episode.episodeNum)
                entered[episode.episodeNum] = geometry.sectorsEntered(steps.lazy.map { MapPoint(x: $0.x, y: $0.y) })
                traces.append(EpisodeTrace(episode: episode.episodeNum, samples: steps.map {
                    EpisodeTrace.Sample(tic: $0.tic, position: MapPoint(x: $0.x, y: $0.y), alive: $0.health > 0, keys: $0.keys)
                }, reachedExit: episode.exitReached))
            }
        }
        try await progress.recordAsPlayer(run, geometry: geometry, entered: entered)
        if let geometry {  // its findings (stuck spots, deaths, missed secrets, the map's checks), once per run however often this is retried
            var regions: ProgressionRegions?
            if let planned { regions = try await CPUWork.run { ProgressionRegions(planned) } }
            try await findings.recordRun(id: run.id, mapID: run.map.id, mapName: run.map.name, sha256: run.map.sha256,
                                         level: run.plan.mapName, skill: run.plan.skill, geometry: geometry,
                                         visited: Set(entered.values.joined()), traces: traces, regions: regions,
                                         presses: Dictionary(episodes.compactMap { e in e.unansweredPresses.map { (e.episodeNum, $0) } },
                                                             uniquingKeysWith: +))
        }
        // Before the run completes, like the boards: a retried completion offers it again, and the queue keeps one.
        try await evidence.offer(run)
        try await lifecycle.complete(
            run.id, kind: .testing, progress: episodes.count, summary: .testing(aggregate),
            announcement: .testingCompleted(TestingCompleted(
                testID: run.id, episodesCompleted: episodes.count, totalKills: aggregate.totalKills,
                meanKills: aggregate.meanKills, timestamp: Date())))
        run.logger.info("test run completed", metadata: ["episodes": "\(episodes.count)", "kills": "\(aggregate.totalKills)"])
    }

    /// A stored checkpoint (`ckpt_…`) a test run plays.
    public func storedCheckpoint(id: String) async throws -> CheckpointInfo? {
        try await trainings.checkpoint(id: id)
    }

    // MARK: training runs

    /// Where a training run picks up: its own newest checkpoint, else the plan's `resume_from`, else the start. The
    /// metrics past that point were never saved in a checkpoint, so they go.
    public func resumeTraining(_ run: PlayingRun) async throws -> (checkpoint: CheckpointInfo?, iteration: Int) {
        var start: (checkpoint: CheckpointInfo?, iteration: Int) = (nil, 0)
        if let own = try await trainings.latestCheckpoint(runID: run.id) {
            start = (own, own.iteration)
        } else if let reference = run.plan.resumeFrom {
            guard let info = try await trainings.checkpoint(id: reference) else {
                let reason = "no checkpoint \(reference.debugDescription) to resume from: it is no longer stored"
                try await lifecycle.fail(run.id, kind: run.kind, error: reason, stderrTail: nil)
                throw RunUnplayable(message: reason)
            }
            start = (info, info.iteration)
        }
        try await trainings.discardTrainingMetrics(runID: run.id, after: start.iteration)
        return start
    }

    /// The recorder of an attempt that trains on from `iteration`.
    public func trainingRecorder(_ run: PlayingRun, actionCombinations: String?, iteration: Int) -> TrainingRunRecorder {
        TrainingRunRecorder(run: run, actionCombinations: actionCombinations, lastIteration: iteration)
    }

    /// Ends a training run that reached its last iteration: completed, with its final figures as its summary.
    public func completeTraining(_ run: PlayingRun, finalIteration: Int, finalLoss: Double?) async throws {
        let duration = max(0, Date().timeIntervalSince(run.startedAt))
        try await lifecycle.complete(
            run.id, kind: .training, progress: finalIteration,
            summary: .training(TrainingSummary(finalIteration: finalIteration, finalLoss: finalLoss, durationSeconds: duration)),
            announcement: .trainingCompleted(TrainingCompleted(
                trainingID: run.id, finalIteration: finalIteration, finalLoss: finalLoss, durationSeconds: duration, timestamp: Date())))
        run.logger.info("training run completed", metadata: ["iteration": "\(finalIteration)"])
    }
}

/// A run that can never be played (its plan or map is gone); retrying cannot help.
public struct RunUnplayable: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
