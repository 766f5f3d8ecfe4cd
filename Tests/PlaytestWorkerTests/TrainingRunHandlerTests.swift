import Foundation
import PlaytestCore
import PlaytestStorage
@testable import PlaytestWorker
import Testing

/// Small DQN runs on defend_the_center (tiny network, short replay) so CI stays fast.
@Suite("Training runs", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct TrainingRunHandlerTests {
    static func request(map: MapRecord, iterations: Int) throws -> TrainingRunRequest {
        TrainingRunRequest(
            mapID: try map.requireID(), maxIterations: iterations, actionCombinations: "turn_lr;attack",
            params: [
                "episode_time": .int(8), "seed": .int(3), "checkpoint_every": .int(100), "progress_every": .int(50),
                "learning_starts": .int(50), "replay_size": .int(1000), "height": .int(30), "width": .int(40),
                "hidden_size": .int(32), "target_update_every": .int(100),
            ])
    }

    @Test("a training run stores its learning curve and uploads every checkpoint", arguments: RunHarness.databases)
    func trains(_ database: RunHarness.Database) async throws {
        try await RunHarness.with(database) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let run = try await harness.launcher.startTraining(try Self.request(map: map, iterations: 300))
            let runID = try #require(run.id)
            let finished = try await harness.withWorker { _ in try await harness.waitForRun(runID) { $0.status.isFinal } }
            #expect(finished.status == .completed, "\(finished.error ?? "") \(finished.stderrTail ?? "")")
            #expect(finished.progress == 300)
            let metrics = try await harness.telemetry.trainingMetrics(runID: runID)
            #expect(metrics.map(\.iteration) == [50, 100, 150, 200, 250, 300])
            #expect(metrics.contains { $0.loss != nil }, "updates started at iteration 50")
            let checkpoints = try await harness.telemetry.checkpoints(runID: runID)
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

    @Test("stopping a training run ends it within seconds and keeps its final checkpoint")
    func stopKeepsFinalCheckpoint() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let run = try await harness.launcher.startTraining(try Self.request(map: map, iterations: 1_000_000))
            let runID = try #require(run.id)
            let stopped = try await harness.withWorker { _ in
                try await harness.waitForRun(runID) { $0.progress >= 50 }
                let asked = ContinuousClock.now
                #expect(try await harness.launcher.stop(kind: .training, ids: [runID]) == [runID])
                let stopped = try await harness.waitForRun(runID, timeout: .seconds(20)) { $0.status.isFinal }
                #expect(ContinuousClock.now - asked < .seconds(10))
                return stopped
            }
            #expect(stopped.status == .stopped)
            #expect(harness.agentPIDs().isEmpty, "the agent is gone")
            let checkpoints = try await harness.telemetry.checkpoints(runID: runID)
            let final = try #require(checkpoints.last)
            #expect(final.final, "the checkpoint written on SIGTERM is stored")
            #expect(final.iteration >= 50)
            #expect(try await harness.engines.blobs.exists(final.blobKey))
        }
    }
}
