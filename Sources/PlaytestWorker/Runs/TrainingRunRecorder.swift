import Foundation
import PlaytestCore
import PlaytestStorage

/// Stores a training run's output: each `train_progress` as a training metric (and live progress),
/// each checkpoint uploaded to `runs/<id>/checkpoints/` and recorded.
struct TrainingRunRecorder: RunRecorder {
    let attempt: RunAttempt
    let maxIterations: Int
    let actionCombinations: String?
    let scenario: String?
    private(set) var lastIteration: Int
    private(set) var lastLoss: Double?
    /// The last iteration's periodic checkpoint, held back: the agent reports the same file again as
    /// the final one a moment later, and the stored row must say final. Uploaded at the end if not.
    private var heldBack: CheckpointMessage?

    init(attempt: RunAttempt, maxIterations: Int, actionCombinations: String?, scenario: String?, lastIteration: Int) {
        self.attempt = attempt
        self.maxIterations = maxIterations
        self.actionCombinations = actionCombinations
        self.scenario = scenario
        self.lastIteration = lastIteration
    }

    mutating func record(_ message: AgentMessage) async throws {
        if let held = heldBack, case .checkpoint(let next) = message {
            heldBack = nil
            // The final report of the same file replaces the periodic one.
            if !(next.final && next.iteration == held.iteration) { try await upload(held) }
        }
        switch message {
        case .trainProgress(let progress):
            let now = Date()
            let row = TrainingMetricRow(progress, at: now)
            try await attempt.services.telemetry.insertTrainingMetrics(runID: attempt.runID, [row])
            lastIteration = progress.iteration
            if progress.loss != nil { lastLoss = progress.loss }
            try await attempt.services.runs.setProgress(id: attempt.runID, progress: progress.iteration, summary: nil)
            let latest = TrainingStatus.LatestMetrics(row)
            await attempt.updateLive(LiveRunSnapshot(
                status: RunRecord.Status.running.rawValue, currentIteration: progress.iteration, maxIterations: maxIterations,
                latestMetrics: try? latest.json(), startedAt: attempt.run.startedAt, updatedAt: now))
            await attempt.publish(.trainingProgress(TrainingProgress(
                trainingID: attempt.runID, iteration: progress.iteration, dqnLoss: progress.loss, timestamp: now,
                maxIterations: maxIterations, progressPercent: min(100, Double(progress.iteration) / Double(max(maxIterations, 1)) * 100),
                epsilon: progress.epsilon, meanReward: progress.meanEpisodeReward, stepsPerSecond: progress.stepsPerSecond)))
        case .checkpoint(let checkpoint):
            // Only the last iteration's periodic checkpoint is reported twice; the rest go up at once.
            if !checkpoint.final && checkpoint.iteration >= maxIterations { heldBack = checkpoint } else { try await upload(checkpoint) }
        case .hello, .episodeStart, .step, .episodeEnd, .artifact, .error, .done:
            break
        }
    }

    mutating func flush() async throws {
        if let held = heldBack {
            heldBack = nil
            try await upload(held)
        }
    }

    private func upload(_ checkpoint: CheckpointMessage) async throws {
        let key = "runs/\(attempt.runID)/checkpoints/dqn_\(String(format: "%08d", checkpoint.iteration)).pt"
        let info = try await attempt.services.blobs.put(key, fileAt: checkpoint.path, contentType: "application/octet-stream")
        let count = actionCombinations.flatMap { try? ActionCombinations(parsing: $0) }?.actionCount
        try await attempt.services.telemetry.addCheckpoint(CheckpointInfo(
            id: RunIDs.make("ckpt"), runID: attempt.runID, iteration: checkpoint.iteration, epsilon: checkpoint.epsilon,
            final: checkpoint.final, blobKey: key, bytes: info.size, actionCombinations: actionCombinations, actionCount: count,
            scenario: scenario, createdAt: Date()))
        attempt.logger.debug("checkpoint stored", metadata: ["iteration": "\(checkpoint.iteration)", "final": "\(checkpoint.final)"])
    }
}
