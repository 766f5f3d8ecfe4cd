import Foundation
import PlaytestCore
import PlaytestStorage

/// Stores a training run's output: each `train_progress` as a training metric (and live progress),
/// each checkpoint uploaded to `runs/<id>/checkpoints/` and recorded.
public struct TrainingRunRecorder: RunRecorder {
    let run: PlayingRun
    let maxIterations: Int
    let actionCombinations: String?
    public private(set) var lastIteration: Int
    public private(set) var lastLoss: Double?
    /// The last iteration's periodic checkpoint, held back: the agent reports the same file again as
    /// the final one a moment later, and the stored row must say final. Uploaded at the end if not.
    private var heldBack: CheckpointMessage?

    init(run: PlayingRun, actionCombinations: String?, lastIteration: Int) {
        self.run = run
        self.maxIterations = run.plan.maxIterations ?? run.target
        self.actionCombinations = actionCombinations
        self.lastIteration = lastIteration
    }

    public mutating func record(_ message: AgentMessage) async throws {
        if let held = heldBack, case .checkpoint(let next) = message {
            heldBack = nil
            // The final report of the same file replaces the periodic one.
            if !(next.final && next.iteration == held.iteration) { try await upload(held) }
        }
        switch message {
        case .trainProgress(let progress):
            let row = TrainingMetricRow(progress, at: Date())
            let (retry, run) = (run.options.outageRetry, run)
            try await retry.run("storing training metrics", logger: run.logger) { try await run.trainings.insertTrainingMetrics(runID: run.id, [row]) }
            lastIteration = progress.iteration
            if progress.loss != nil { lastLoss = progress.loss }
            try await retry.run("recording the run's progress", logger: run.logger) {
                try await run.playback.runs.setProgress(id: run.id, progress: progress.iteration)
            }
            let snapshot = run.snapshot { snapshot in
                snapshot.currentIteration = progress.iteration
                snapshot.maxIterations = maxIterations
                snapshot.latestMetrics = try? TrainingLogPoint(row).json()
            }
            await run.updateLive(snapshot)
            await run.publish(.trainingProgress(TrainingProgress(
                trainingID: run.id, iteration: progress.iteration, dqnLoss: progress.loss, timestamp: snapshot.updatedAt,
                maxIterations: maxIterations, progressPercent: min(100, Double(progress.iteration) / Double(max(maxIterations, 1)) * 100),
                epsilon: progress.epsilon, meanReward: progress.meanEpisodeReward, stepsPerSecond: progress.stepsPerSecond)))
        case .checkpoint(let checkpoint):
            // Only the last iteration's periodic checkpoint is reported twice; the rest go up at once.
            if !checkpoint.final && checkpoint.iteration >= maxIterations { heldBack = checkpoint } else { try await upload(checkpoint) }
        case .hello, .episodeStart, .step, .episodeEnd, .artifact, .error, .done:
            break
        }
    }

    public mutating func flush() async throws {
        if let held = heldBack {
            heldBack = nil
            try await upload(held)
        }
    }

    private func upload(_ checkpoint: CheckpointMessage) async throws {
        let key = "runs/\(run.id)/checkpoints/dqn_\(String(format: "%08d", checkpoint.iteration)).pt"
        let retry = run.options.outageRetry
        let info: BlobInfo
        do {
            info = try await retry.run("storing a checkpoint", logger: run.logger) {
                try await run.blobs.put(key, fileAt: checkpoint.path, contentType: "application/octet-stream")
            }
        } catch {
            throw RunFilesLost(files: [key], retried: retry.window, cause: error, replayable: true)
        }
        let count = actionCombinations.flatMap { try? ActionCombinations(parsing: $0) }?.actionCount
        let record = CheckpointInfo(
            id: RunIDs.make("ckpt"), runID: run.id, iteration: checkpoint.iteration, epsilon: checkpoint.epsilon,
            final: checkpoint.final, blobKey: key, bytes: info.size, actionCombinations: actionCombinations, actionCount: count,
            scenario: run.plan.scenarioName, createdAt: Date())
        try await retry.run("recording a checkpoint", logger: run.logger) { try await run.trainings.addCheckpoint(record) }
        run.logger.debug("checkpoint stored", metadata: ["iteration": "\(checkpoint.iteration)", "final": "\(checkpoint.final)"])
    }
}
