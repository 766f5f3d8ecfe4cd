import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Plays a test run (`run.test`): the agent's episodes with per-step telemetry, derived events,
/// episode metrics, screenshots and demos, stored as they come. A rescued run keeps its finished
/// episodes, drops the rows of the unfinished one and plays only the episodes left.
public struct TestRunHandler: JobHandler {
    public let kind = RunJob.testKind
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

    static func play(_ attempt: RunAttempt) async throws {
        let services = attempt.services
        let runID = attempt.runID
        let target = attempt.run.target
        // Resume: keep the finished episodes (0..<finished), drop whatever the last attempt left of the next one.
        let finished = try await services.telemetry.finishedEpisodeCount(runID: runID)
        try await services.telemetry.discardEpisodes(runID: runID, from: finished)
        if finished > 0 || attempt.isRescue {
            attempt.logger.info("resuming test run", metadata: ["finished": "\(finished)", "target": "\(target)"])
        }
        if finished >= target {
            try await finishCompleted(attempt, episodes: try await services.telemetry.episodes(runID: runID, withEvents: false))
            return
        }
        let workspace = try await RunWorkspace.prepare(
            runID: runID, plan: attempt.plan, map: attempt.map, blobs: services.blobs, parent: services.options.workspaceParent)
        defer { workspace.remove() }
        let checkpoint = try await checkpointPath(attempt, workspace: workspace)
        try workspace.writeConfig(plan: attempt.plan, map: attempt.map, assignment: .evaluate(episodes: target - finished), checkpoint: checkpoint)

        let geometry = try? await services.library.report(for: attempt.map, mapName: attempt.plan.mapName).geometry
        let startedSteps = try await services.telemetry.stepCount(runID: runID)
        let recorder = TestRunRecorder(
            attempt: attempt, telemetry: TestRunTelemetry(map: geometry.map(TelemetryMap.init(geometry:))),
            episodeOffset: finished, totalEpisodes: target, stepsBefore: startedSteps)
        let (outcome, _) = try await attempt.play(.init(command: .evaluate, recorder: recorder), workspace: workspace)
        switch outcome {
        case .completed:
            try await finishCompleted(attempt, episodes: try await services.telemetry.episodes(runID: runID, withEvents: false))
        case .stopped:
            // Only whole episodes count: the rows of the episode the stop cut short go.
            let kept = try await services.telemetry.finishedEpisodeCount(runID: runID)
            try await services.telemetry.discardEpisodes(runID: runID, from: kept)
        }
    }

    /// The DQN checkpoint to play: a stored one (`ckpt_…`) fetched into the workspace, or a shipped one.
    static func checkpointPath(_ attempt: RunAttempt, workspace: RunWorkspace) async throws -> String? {
        guard attempt.plan.agent == "dqn", let reference = attempt.plan.checkpoint else { return nil }
        if reference.hasPrefix("ckpt_") {
            guard let info = try await attempt.services.telemetry.checkpoint(id: reference) else {
                throw try await attempt.fail(RunFailure(message: RunWorkspaceError.checkpointNotFound(reference).description, permanent: true), stderrTail: nil)
            }
            return try await workspace.fetchCheckpoint(blobKey: info.blobKey, blobs: attempt.services.blobs)
        }
        guard let path = attempt.services.runtime.builtinCheckpoint(named: reference) else {
            throw try await attempt.fail(RunFailure(message: RunWorkspaceError.checkpointNotFound(reference).description, permanent: true), stderrTail: nil)
        }
        return path
    }

    static func finishCompleted(_ attempt: RunAttempt, episodes: [EpisodeMetrics]) async throws {
        let aggregate = AggregateMetrics(episodes: episodes)
        try await attempt.complete(
            summary: try? TestRunRecorder.json(aggregate), progress: episodes.count,
            announcement: .testingCompleted(TestingCompleted(
                testID: attempt.runID, episodesCompleted: episodes.count, totalKills: aggregate.totalKills,
                meanKills: aggregate.meanKills, timestamp: Date())))
        attempt.logger.info("test run completed", metadata: ["episodes": "\(episodes.count)", "kills": "\(aggregate.totalKills)"])
    }
}
