import Foundation
import PlaytestCore
import PlaytestServices

/// A test run's attempt (`run.test`): the agent's episodes with per-step telemetry, derived events, episode metrics,
/// screenshots and demos, stored as they come. A rescued run keeps its finished episodes, drops the rows of the
/// unfinished one and plays only the episodes left.
enum TestRunPlay {
    static func play(_ attempt: RunAttempt) async throws {
        let run = attempt.run
        let playback = attempt.playback
        let resume = try await playback.resumeTest(run)
        if resume.finished > 0 || attempt.isRescue {
            attempt.logger.info("resuming test run", metadata: ["finished": "\(resume.finished)", "target": "\(run.target)"])
        }
        if resume.finished >= run.target {
            try await playback.completeTest(run)
            return
        }
        let workspace = try await RunWorkspace.prepare(plan: run.plan, map: run.map, blobs: attempt.context.blobs, parent: attempt.context.options.workspaceParent)
        defer { workspace.remove() }
        let checkpoint = try await checkpointPath(attempt, workspace: workspace)
        let navigation = try await navigation(attempt)
        try workspace.writeConfig(plan: run.plan, map: run.map, assignment: .evaluate(episodes: run.target - resume.finished),
                                  checkpoint: checkpoint, navigation: navigation)
        let recorder = await playback.testRecorder(run, finished: resume.finished, steps: resume.steps)
        switch try await attempt.play(.evaluate, recorder: recorder, workspace: workspace).0 {
        case .completed: try await playback.completeTest(run)
        case .stopped: try await playback.keepFinishedEpisodes(run)
        }
    }

    /// Plans the map (the verdict is kept for the run's `completion`) and, for the navigator, returns the route and
    /// graph it plays (docs/navigation.md). A map the planner cannot read still plays, without a verdict.
    static func navigation(_ attempt: RunAttempt) async throws -> JSONValue? {
        let started = ContinuousClock.now
        let planned: (result: ProgressionPlanner.Result, geometry: MapGeometry)?
        do {
            planned = try await attempt.playback.progression(attempt.run)
        } catch {
            attempt.logger.warning("the progression planner could not plan the map", metadata: ["error": "\(Services.describe(error))"])
            planned = nil
        }
        guard let (result, geometry) = planned else { return nil }
        attempt.logger.info("progression planned", metadata: [
            "verdict": "\(result.plan.verdict.rawValue)", "steps": "\(result.plan.steps.count)", "elapsed": "\(ContinuousClock.now - started)",
        ])
        guard attempt.run.plan.agent == "navigator" else { return nil }
        return try JSONParser().parse([UInt8](try NavigationConfig(result: result, geometry: geometry).json()))
    }

    /// The DQN checkpoint to play: a stored one (`ckpt_…`) fetched into the workspace, or a shipped one.
    static func checkpointPath(_ attempt: RunAttempt, workspace: RunWorkspace) async throws -> String? {
        let plan = attempt.run.plan
        guard plan.agent == "dqn", let reference = plan.checkpoint else { return nil }
        if reference.hasPrefix("ckpt_") {
            guard let info = try await attempt.playback.storedCheckpoint(id: reference) else {
                throw try await attempt.fail(RunFailure(message: RunWorkspaceError.checkpointNotFound(reference).description, permanent: true), stderrTail: nil)
            }
            return try await workspace.fetchCheckpoint(blobKey: info.blobKey, blobs: attempt.context.blobs)
        }
        guard let path = attempt.context.runtime.builtinCheckpoint(named: reference) else {
            throw try await attempt.fail(RunFailure(message: RunWorkspaceError.checkpointNotFound(reference).description, permanent: true), stderrTail: nil)
        }
        return path
    }
}
