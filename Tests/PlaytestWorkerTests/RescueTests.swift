import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
@testable import PlaytestWorker
import SQLKit
import Testing

/// A worker process is SIGKILLed mid-run; another one rescues the run when the lease expires and
/// finishes it: every episode stored exactly once, a training run resumed from its last checkpoint.
@Suite("Crash and rescue", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct RescueTests {
    static let lease = Duration.seconds(2)

    @Test("a test run whose worker was killed is finished by another worker, each episode once", arguments: RunHarness.databases)
    func testRunRescued(_ database: RunHarness.Database) async throws {
        try await RunHarness.with(database) { harness in
            // The explorer on freedoom2 MAP01 with 2-minute episodes: about 2 s of wall time each, so the
            // kill lands inside an episode.
            let map = try await harness.importFreedoom2()
            let episodes = 4
            let started = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, map: "MAP01", agent: "explorer", episodes: episodes,
                params: ["episode_time": .int(120), "seed": .int(11)]))
            let runID = started.id

            let first = try WorkerProbeProcess(harness: harness, lease: Self.lease, name: "first")
            defer { first.kill() }  // also when the test fails before it kills it on purpose
            // Killed in the middle of an episode: one finished, some steps of the next stored.
            try await Deadline.wait("an episode and part of the next", within: .seconds(120)) {
                let finished = try await harness.tests.finishedEpisodeCount(runID: runID)
                let steps = try await harness.storedSteps(runID)
                return finished >= 1 && finished < episodes && steps.contains { $0.episode == finished + 1 }
            }
            first.kill()
            harness.killAgents()
            let second = try WorkerProbeProcess(harness: harness, lease: Self.lease, name: "second")
            defer { second.terminate() }
            let finished = try await harness.waitForRun(runID, timeout: .seconds(180)) { $0.status.isFinal }
            #expect(finished.status == .completed, "\(finished.error ?? "")\n\(second.log)")
            #expect(finished.progress == episodes)

            let stored = try await harness.tests.episodes(runID: runID)
            #expect(stored.map(\.episodeNum) == Array(1...episodes), "every episode exactly once, counted from 1")
            let steps = try await harness.storedSteps(runID)
            for episode in 1...episodes {
                let numbers = steps.filter { $0.episode == episode }.map(\.step)
                #expect(!numbers.isEmpty)
                #expect(numbers == Array(1...max(1, numbers.count)), "episode \(episode): each step once, none missing")
            }
            let job = try #require(try await harness.job(of: finished))
            #expect(job.attempt == 2)
            #expect(job.state == .completed)
            #expect(second.log.contains("resuming test run"))
        }
    }

    @Test("a training run whose worker was killed resumes from its last checkpoint", arguments: RunHarness.databases)
    func trainingRescued(_ database: RunHarness.Database) async throws {
        try await RunHarness.with(database) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTraining(TrainingRunRequest(
                mapID: map.id, maxIterations: 600, actionCombinations: "turn_lr;attack",
                params: [
                    "episode_time": .int(8), "seed": .int(3), "checkpoint_every": .int(100), "progress_every": .int(50),
                    "learning_starts": .int(50), "replay_size": .int(1000), "height": .int(30), "width": .int(40),
                    "hidden_size": .int(32),
                ]))
            let runID = started.id
            let first = try WorkerProbeProcess(harness: harness, lease: Self.lease, name: "first")
            defer { first.kill() }  // also when the test fails before it kills it on purpose
            try await Deadline.wait("a checkpoint", within: .seconds(120)) { try await harness.trainings.latestCheckpoint(runID: runID) != nil }
            first.kill()
            harness.killAgents()
            let resumedFrom = try #require(try await harness.trainings.latestCheckpoint(runID: runID)).iteration
            let second = try WorkerProbeProcess(harness: harness, lease: Self.lease, name: "second")
            defer { second.terminate() }
            let finished = try await harness.waitForRun(runID, timeout: .seconds(180)) { $0.status.isFinal }
            #expect(finished.status == .completed, "\(finished.error ?? "")\n\(second.log)")
            #expect(finished.progress == 600)
            #expect(second.log.contains("from_iteration=\(resumedFrom)") || second.log.contains("\"from_iteration\":\"\(resumedFrom)\""),
                    "the second worker resumed from iteration \(resumedFrom): \(second.log)")
            let metrics = try await harness.trainings.trainingMetrics(runID: runID).map(\.iteration)
            #expect(metrics == Array(stride(from: 50, through: 600, by: 50)), "each report once")
            let checkpoints = try await harness.trainings.checkpoints(runID: runID)
            #expect(checkpoints.map(\.iteration) == [100, 200, 300, 400, 500, 600])
            #expect(checkpoints.last?.final == true)
            let job = try #require(try await harness.job(of: finished))
            #expect(job.attempt == 2)
        }
    }
}
