import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// A training run's attempt (`run.train`): the learning curve, checkpoints uploaded as they are written, live
/// progress. A rescued run resumes from its newest checkpoint and drops the metrics past it; a stopped run keeps the
/// final checkpoint the agent writes on SIGTERM.
enum TrainingRunPlay {
    static func play(_ attempt: RunAttempt) async throws {
        let run = attempt.run
        let playback = attempt.playback
        let maxIterations = run.plan.maxIterations ?? run.target
        let start: (checkpoint: CheckpointInfo?, iteration: Int)
        do {
            start = try await playback.resumeTraining(run)
        } catch let error as RunUnplayable {
            throw PermanentJobError(error.message)
        }
        if attempt.isRescue || start.checkpoint?.runID == run.id {
            attempt.logger.info("resuming training run", metadata: ["from_iteration": "\(start.iteration)", "checkpoint": "\(start.checkpoint?.id ?? "none")"])
        }
        if start.iteration >= maxIterations {
            try await playback.completeTraining(run, finalIteration: start.iteration, finalLoss: nil)
            return
        }
        let workspace = try await attempt.prepareWorkspace()
        defer { workspace.remove() }
        var resumePath: String?
        if let checkpoint = start.checkpoint {
            resumePath = try await workspace.fetchCheckpoint(blobKey: checkpoint.blobKey, blobs: attempt.context.blobs)
        }
        try workspace.writeConfig(
            plan: run.plan, map: run.map, assignment: .train(iterations: maxIterations - start.iteration, resumeFrom: resumePath), checkpoint: nil)
        let recorder = playback.trainingRecorder(
            run, actionCombinations: run.plan.actionCombinations ?? start.checkpoint?.actionCombinations, iteration: start.iteration)
        let (outcome, finished) = try await attempt.play(.train, recorder: recorder, workspace: workspace)
        if case .completed(let done) = outcome {
            try await playback.completeTraining(run, finalIteration: done.iterations ?? finished.lastIteration, finalLoss: finished.lastLoss)
        }
    }
}
