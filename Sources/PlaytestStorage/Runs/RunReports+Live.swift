import Foundation

extension RunReports {
    /// The status of a test run a worker is playing, from the live state alone (no SQL); nil when the live state
    /// cannot answer (not started, stopping, over, worker gone, or live store unreachable) and SQL must.
    /// Status is what clients poll hardest, so while a run plays it never touches the database.
    public func liveTestStatus(runID: String) async -> TestStatus? {
        guard runID.hasPrefix("test_"), let snapshot = try? await live.playing(runID: runID),
              let total = snapshot.totalEpisodes, let started = snapshot.startedAt else { return nil }
        let latest = snapshot.latestEpisode.flatMap { try? TestStatus.LatestEpisode(json: $0) }
        // Episodes finish in order, so the newest finished one tells how many have.
        let finished = latest.map { $0.episodeNum + 1 } ?? 0
        let elapsed = max(0, now().timeIntervalSince(started))
        let progress = TestStatus.Progress(
            currentEpisode: snapshot.currentEpisode ?? finished, totalEpisodes: total,
            progressPercent: Self.percent(finished, of: total), elapsedSeconds: elapsed,
            estimatedRemainingSeconds: Self.remaining(elapsed: elapsed, done: finished, total: total))
        return TestStatus(
            testID: runID, status: snapshot.status, progress: progress, latestEpisode: latest, startedAt: started,
            error: nil, steps: snapshot.steps ?? 0)
    }

    /// The status of a training run a worker is playing, from the live state alone; nil when SQL must answer.
    public func liveTrainingStatus(runID: String) async -> TrainingStatus? {
        guard runID.hasPrefix("train_"), let snapshot = try? await live.playing(runID: runID),
              let maxIterations = snapshot.maxIterations, let started = snapshot.startedAt else { return nil }
        let latest = snapshot.latestMetrics.flatMap { try? TrainingStatus.LatestMetrics(json: $0) }
        let iteration = snapshot.currentIteration ?? latest?.iteration ?? 0
        let elapsed = max(0, now().timeIntervalSince(started))
        let progress = TrainingStatus.Progress(
            currentIteration: iteration, maxIterations: maxIterations, progressPercent: Self.percent(iteration, of: maxIterations),
            elapsedSeconds: elapsed, estimatedRemainingSeconds: Self.remaining(elapsed: elapsed, done: iteration, total: maxIterations))
        return TrainingStatus(
            trainingID: runID, status: snapshot.status, progress: progress, latestMetrics: latest, startedAt: started, error: nil)
    }
}
