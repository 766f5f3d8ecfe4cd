import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage
@testable import PlaytestWorker
import Testing

/// Small DQN runs on defend_the_center (tiny network, short replay) so CI stays fast.
@Suite("Training runs", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct TrainingRunHandlerTests {
    static func request(map: MapView, iterations: Int) -> TrainingRunRequest {
        TrainingRunRequest(
            mapID: map.id, maxIterations: iterations, actionCombinations: "turn_lr;attack",
            params: [
                "episode_time": 8, "seed": 3, "checkpoint_every": 100, "progress_every": 50, "learning_starts": 50,
                "replay_size": 1000, "height": 30, "width": 40, "hidden_size": 32, "target_update_every": 100,
            ])
    }

    @Test("a training run stores its learning curve and uploads every checkpoint", arguments: RunHarness.databases)
    func trains(_ database: RunHarness.Database) async throws {
        try await RunHarness.with(database) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTraining(Self.request(map: map, iterations: 300))
            let runID = started.id
            let finished = try await harness.withWorker { _ in try await harness.waitForRun(runID) { $0.status.isFinal } }
            #expect(finished.status == .completed, "\(finished.error ?? "") \(finished.stderrTail ?? "")")
            #expect(finished.progress == 300)
            let metrics = try await harness.trainings.trainingMetrics(runID: runID)
            #expect(metrics.map(\.iteration) == [50, 100, 150, 200, 250, 300])
            #expect(metrics.contains { $0.loss != nil }, "updates started at iteration 50")
            let checkpoints = try await harness.trainings.checkpoints(runID: runID)
            #expect(checkpoints.map(\.iteration) == [100, 200, 300])
            #expect(checkpoints.map(\.final) == [false, false, true])
            for checkpoint in checkpoints {
                #expect(checkpoint.actionCombinations == "turn_lr;attack")
                #expect(checkpoint.actionCount == 6)
                #expect(checkpoint.scenario == "defend_the_center")
                let info = try #require(try await harness.engines.blobs.head(checkpoint.blobKey))
                #expect(info.size == checkpoint.bytes && info.size > 0)
            }
            #expect(finished.summary?.contains("\"final_iteration\":300") == true)
            #expect(harness.agentPIDs().isEmpty)
        }
    }

    @Test("stopping a training run ends it and keeps its final checkpoint")
    func stopKeepsFinalCheckpoint() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTraining(Self.request(map: map, iterations: 1_000_000))
            let runID = started.id
            let stopped = try await harness.withWorker { _ in
                try await harness.waitForRun(runID) { $0.progress >= 50 }
                #expect(try await harness.launcher.stop(kind: .training, ids: [runID]).ids == [runID])
                return try await harness.waitForRun(runID) { $0.status.isFinal }
            }
            #expect(stopped.status == .stopped)
            #expect(harness.agentPIDs().isEmpty, "the agent is gone")
            let checkpoints = try await harness.trainings.checkpoints(runID: runID)
            let final = try #require(checkpoints.last)
            #expect(final.final, "the checkpoint written on SIGTERM is stored")
            #expect(final.iteration >= 50)
            #expect(try await harness.engines.blobs.exists(final.blobKey))
        }
    }
}
