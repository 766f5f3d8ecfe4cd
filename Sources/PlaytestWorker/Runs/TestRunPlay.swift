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
            try await playback.completeTest(run, planned: await planned(attempt)?.result)
            return
        }
        let workspace = try await attempt.prepareWorkspace()
        defer { workspace.remove() }
        let checkpoint = try await checkpointPath(attempt, workspace: workspace)
        // The navigator plays the plan, so it waits for it; any other agent plays while the map is planned.
        let planning = Task { await planned(attempt) }
        var navigation: JSONValue?
        if run.plan.agent == "navigator" {
            guard let planned = await planning.value else {
                throw try await attempt.fail(RunFailure(
                    message: "the navigator plays the progression planner's route, and the planner could not read map \(run.plan.mapName) (the worker's log says why)",
                    permanent: true), stderrTail: nil)
            }
            navigation = try navigationConfig(planned)
        }
        try workspace.writeConfig(plan: run.plan, map: run.map, assignment: .evaluate(episodes: run.target - resume.finished),
                                  checkpoint: checkpoint, navigation: navigation)
        let recorder = try await playback.testRecorder(run, finished: resume.finished, steps: resume.steps)
        let outcome = try await attempt.play(.evaluate, recorder: recorder, workspace: workspace).0
        // The verdict is kept before the run ends, for its `completion`; its graph judges the run's places.
        let plan = await planning.value
        switch outcome {
        case .completed: try await playback.completeTest(run, planned: plan?.result)
        case .stopped: try await playback.keepFinishedEpisodes(run)
        }
    }

    /// Plans the map; the verdict is kept for the run's `completion`. A map the planner cannot read still plays,
    /// without a verdict.
    static func planned(_ attempt: RunAttempt) async -> (result: ProgressionPlanner.Result, geometry: MapGeometry)? {
        let started = ContinuousClock.now
        do {
            guard let planned = try await attempt.playback.progression(attempt.run) else { return nil }
            attempt.logger.info("progression planned", metadata: [
                "verdict": "\(planned.result.plan.verdict.rawValue)", "steps": "\(planned.result.plan.steps.count)",
                "elapsed": "\(ContinuousClock.now - started)",
            ])
            return planned
        } catch {
            attempt.logger.warning("the progression planner could not plan the map", metadata: ["error": "\(Services.describe(error))"])
            return nil
        }
    }

    /// The navigator's `navigation` object: the route and the graph it is walked on (docs/navigation.md).
    static func navigationConfig(_ planned: (result: ProgressionPlanner.Result, geometry: MapGeometry)) throws -> JSONValue {
        try JSONParser().parse([UInt8](try NavigationConfig(result: planned.result, geometry: planned.geometry).json()))
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
