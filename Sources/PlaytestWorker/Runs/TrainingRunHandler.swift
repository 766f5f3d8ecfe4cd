import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Trains a DQN (`run.train`): learning curve, checkpoints uploaded as they are written, live
/// progress. A rescued run resumes from its newest checkpoint and drops the metrics past it; a
/// stopped run keeps the final checkpoint the agent writes on SIGTERM.
public struct TrainingRunHandler: JobHandler {
    public let kind = RunJob.trainKind
    let services: RunServices

    public init(services: RunServices) {
        self.services = services
    }

    public func run(_ job: Job, context: JobContext) async throws {
        let services = self.services
        try await RunAttempt.shielded(grace: services.options.stopGrace) { latch in
            guard let attempt = try await RunAttempt.begin(job: job, services: services, latch: latch, logger: context.logger) else { return }
            try await Self.play(attempt)
        }
    }

    /// Where this attempt starts: the run's own newest checkpoint, else the plan's `resume_from`, else scratch.
    struct Start {
        var checkpoint: CheckpointInfo?
        var iteration: Int
    }

    static func start(_ attempt: RunAttempt) async throws -> Start {
        let telemetry = attempt.services.telemetry
        if let own = try await telemetry.latestCheckpoint(runID: attempt.runID) {
            return Start(checkpoint: own, iteration: own.iteration)
        }
        if let reference = attempt.plan.resumeFrom {
            guard let info = try await telemetry.checkpoint(id: reference) else {
                throw try await attempt.fail(RunFailure(message: RunWorkspaceError.checkpointNotFound(reference).description, permanent: true), stderrTail: nil)
            }
            return Start(checkpoint: info, iteration: info.iteration)
        }
        return Start(checkpoint: nil, iteration: 0)
    }

    static func play(_ attempt: RunAttempt) async throws {
        let services = attempt.services
        let runID = attempt.runID
        let maxIterations = attempt.plan.maxIterations ?? attempt.run.target
        let start = try await start(attempt)
        // Metrics past the checkpoint we continue from were never saved in a checkpoint: they go.
        try await services.telemetry.discardTrainingMetrics(runID: runID, after: start.iteration)
        if attempt.isRescue || start.checkpoint?.runID == runID {
            attempt.logger.info("resuming training run", metadata: ["from_iteration": "\(start.iteration)", "checkpoint": "\(start.checkpoint?.id ?? "none")"])
        }
        if start.iteration >= maxIterations {
            try await finishCompleted(attempt, finalIteration: start.iteration, duration: 0)
            return
        }
        let workspace = try await RunWorkspace.prepare(
            runID: runID, plan: attempt.plan, map: attempt.map, blobs: services.blobs, parent: services.options.workspaceParent)
        defer { workspace.remove() }
        var resumePath: String?
        if let checkpoint = start.checkpoint {
            resumePath = try await workspace.fetchCheckpoint(blobKey: checkpoint.blobKey, blobs: services.blobs)
        }
        try workspace.writeConfig(
            plan: attempt.plan, map: attempt.map, assignment: .train(iterations: maxIterations - start.iteration, resumeFrom: resumePath),
            checkpoint: nil)
        let combinations = attempt.plan.actionCombinations ?? start.checkpoint?.actionCombinations
        let recorder = TrainingRunRecorder(
            attempt: attempt, maxIterations: maxIterations, actionCombinations: combinations,
            scenario: attempt.plan.scenario.map { $0.hasSuffix(".cfg") ? String($0.dropLast(4)) : $0 }, lastIteration: start.iteration)
        let began = ContinuousClock.now
        let (outcome, finalRecorder) = try await attempt.play(.init(command: .train, recorder: recorder), workspace: workspace)
        switch outcome {
        case .completed(let done):
            let seconds = (ContinuousClock.now - began).components
            try await finishCompleted(
                attempt, finalIteration: done.iterations ?? finalRecorder.lastIteration,
                duration: Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18, finalLoss: finalRecorder.lastLoss)
        case .stopped:
            break
        }
    }

    static func finishCompleted(_ attempt: RunAttempt, finalIteration: Int, duration: Double, finalLoss: Double? = nil) async throws {
        let startedAt = try await attempt.services.runs.run(id: attempt.runID)?.startedAt
        let total = startedAt.map { Date().timeIntervalSince($0) } ?? duration
        let summary = TrainingSummary(finalIteration: finalIteration, finalLoss: finalLoss, durationSeconds: total)
        try await attempt.complete(
            summary: try? summary.json(), progress: finalIteration,
            announcement: .trainingCompleted(TrainingCompleted(
                trainingID: attempt.runID, finalIteration: finalIteration, finalLoss: finalLoss, durationSeconds: total, timestamp: Date())))
        attempt.logger.info("training run completed", metadata: ["iteration": "\(finalIteration)"])
    }
}

/// `runs.summary` of a finished training run.
struct TrainingSummary: Codable {
    var finalIteration: Int
    var finalLoss: Double?
    var durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case finalIteration = "final_iteration"
        case finalLoss = "final_loss"
        case durationSeconds = "duration_seconds"
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
