import Foundation
import PlaytestCore

/// Builds the four views of a run. The status views read `RunLiveState` first and fall back to
/// SQL when the live hash is absent (or the live store is unreachable, or the run is over).
public struct RunReports: Sendable {
    let runs: RunStore
    let telemetry: RunTelemetryStore
    let live: RunLiveState
    let now: @Sendable () -> Date

    public init(runs: RunStore, telemetry: RunTelemetryStore, live: RunLiveState) {
        self.init(runs: runs, telemetry: telemetry, live: live, now: { Date() })
    }

    /// Reports over the engines' SQL and live state.
    public init(engines: PlaytestEngines) {
        self.init(runs: RunStore(sql: engines.sql), telemetry: RunTelemetryStore(sql: engines.sql), live: RunLiveState(live: engines.live))
    }

    /// `now` is the clock for elapsed and remaining times.
    public init(runs: RunStore, telemetry: RunTelemetryStore, live: RunLiveState, now: @escaping @Sendable () -> Date) {
        self.runs = runs
        self.telemetry = telemetry
        self.live = live
        self.now = now
    }

    public func testResults(_ run: RunRecord) async throws -> TestResults {
        let id = try Self.id(of: run)
        let episodes = try await telemetry.episodes(runID: id)
        let aggregate = AggregateMetrics(episodes: episodes)
        // VizDoom scenario arenas have no exit; the two exit pressures are left out for them.
        let scenario = (try? run.decodedPlan())?.scenario
        return TestResults(
            testID: id, status: run.status.rawValue, mapID: run.$map.id, mapName: run.mapName, agent: run.agent,
            checkpoint: run.checkpoint, totalEpisodes: run.target, episodesCompleted: episodes.count, episodes: episodes,
            aggregateMetrics: aggregate, hardness: HardnessScore(aggregate: aggregate, mapHasExit: scenario == nil),
            startedAt: run.startedAt, completedAt: run.completedAt, error: run.error)
    }

    public func trainingLog(_ run: RunRecord) async throws -> TrainingLog {
        let id = try Self.id(of: run)
        let points = try await telemetry.trainingMetrics(runID: id).map(TrainingLogPoint.init)
        return TrainingLog(
            trainingID: id, status: run.status.rawValue, iterations: points, startedAt: run.startedAt,
            completedAt: run.completedAt, durationSeconds: elapsed(run),
            maxIterations: run.target, finalIteration: Self.finalIteration(logged: points.last?.iteration, progress: run.progress),
            error: run.error)
    }

    public func testStatus(_ run: RunRecord) async throws -> TestStatus {
        let id = try Self.id(of: run)
        let snapshot = await liveSnapshot(run)
        // While a worker plays the run, its row's progress is the finished-episode count (the worker sets both
        // together); otherwise count the rows. Status is polled hard, so the hot path is one SQL read.
        let finished = snapshot != nil ? run.progress : try await telemetry.finishedEpisodeCount(runID: id)
        let total = snapshot?.totalEpisodes ?? run.target
        let elapsed = elapsed(run) ?? 0
        var latest = snapshot?.latestEpisode.flatMap { try? TestStatus.LatestEpisode(json: $0) }
        if latest == nil, finished > 0, let stored = try await telemetry.latestEpisode(runID: id) {
            latest = TestStatus.LatestEpisode(
                episodeNum: stored.metrics.episodeNum, kills: stored.metrics.kills, healthRemaining: stored.metrics.finalHealth,
                durationSeconds: stored.metrics.durationSeconds, timestamp: stored.finishedAt)
        }
        let steps: Int
        if let live = snapshot?.steps { steps = live } else { steps = try await telemetry.stepCount(runID: id) }
        let progress = TestStatus.Progress(
            currentEpisode: snapshot?.currentEpisode ?? finished, totalEpisodes: total,
            progressPercent: Self.percent(finished, of: total), elapsedSeconds: elapsed,
            estimatedRemainingSeconds: run.status.isFinal ? nil : Self.remaining(elapsed: elapsed, done: finished, total: total))
        return TestStatus(
            testID: id, status: Self.status(run, snapshot), progress: progress, latestEpisode: latest,
            startedAt: run.startedAt ?? snapshot?.startedAt, error: run.error, steps: steps)
    }

    public func trainingStatus(_ run: RunRecord) async throws -> TrainingStatus {
        let id = try Self.id(of: run)
        let snapshot = await liveSnapshot(run)
        var latest = snapshot?.latestMetrics.flatMap { try? TrainingStatus.LatestMetrics(json: $0) }
        var current = snapshot?.currentIteration
        if latest == nil || current == nil, let stored = try await telemetry.latestTrainingMetric(runID: id) {
            latest = latest ?? TrainingStatus.LatestMetrics(stored)
            current = current ?? stored.iteration
        }
        let iteration = current ?? run.progress
        let maxIterations = snapshot?.maxIterations ?? run.target
        let elapsed = elapsed(run) ?? 0
        let progress = TrainingStatus.Progress(
            currentIteration: iteration, maxIterations: maxIterations, progressPercent: Self.percent(iteration, of: maxIterations),
            elapsedSeconds: elapsed,
            estimatedRemainingSeconds: run.status.isFinal ? nil : Self.remaining(elapsed: elapsed, done: iteration, total: maxIterations))
        return TrainingStatus(
            trainingID: id, status: Self.status(run, snapshot), progress: progress, latestMetrics: latest,
            startedAt: run.startedAt ?? snapshot?.startedAt, error: run.error)
    }

    /// The live hash of a run that is not over; nil when absent or unreachable (SQL answers instead).
    private func liveSnapshot(_ run: RunRecord) async -> LiveRunSnapshot? {
        guard !run.status.isFinal, let id = run.id else { return nil }
        return try? await live.read(runID: id)
    }

    /// The live status while a worker plays the run; SQL's once a stop was asked for or the run is over.
    static func status(_ run: RunRecord, _ snapshot: LiveRunSnapshot?) -> String {
        guard let snapshot, run.status != .stopping, !run.status.isFinal else { return run.status.rawValue }
        return snapshot.status
    }

    /// Seconds from start to completion, or to now while the run goes; nil before it started.
    private func elapsed(_ run: RunRecord) -> Double? {
        guard let started = run.startedAt else { return nil }
        return max(0, (run.completedAt ?? now()).timeIntervalSince(started))
    }

    /// The newest iteration known: the run's progress (the agent's last iteration) or the last logged point.
    static func finalIteration(logged: Int?, progress: Int) -> Int? {
        let best = max(logged ?? 0, progress)
        return best > 0 ? best : nil
    }

    static func percent(_ done: Int, of total: Int) -> Double {
        guard total > 0 else { return 0 }
        return min(100, max(0, Double(done) / Double(total) * 100))
    }

    /// Linear extrapolation from the pace so far; nil before any progress.
    static func remaining(elapsed: Double, done: Int, total: Int) -> Double? {
        guard done > 0, total >= done else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }

    private static func id(of run: RunRecord) throws -> String {
        guard let id = run.id else { throw RunStoreError.invalidStatus("the run has no id; it was never stored") }
        return id
    }
}
