import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
@testable import PlaytestWorker
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Short runs with the real agent and VizDoom: defend_the_center with 8-second episodes.
@Suite("Test runs", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct TestRunHandlerTests {
    static let shortEpisodes: [String: JSONValue] = ["episode_time": 8, "seed": 7]

    @Test("a test run plays every episode and stores steps, episodes, events and artifacts once", arguments: RunHarness.databases)
    func endToEnd(_ database: RunHarness.Database) async throws {
        try await RunHarness.with(database) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 3, params: Self.shortEpisodes))
            let runID = started.id
            let finished = try await harness.withWorker { _ in
                try await harness.waitForRun(runID) { $0.status.isFinal }
            }
            #expect(finished.status == .completed, "\(finished.error ?? "") \(finished.stderrTail ?? "")")
            #expect(finished.progress == 3)

            let episodes = try await harness.tests.episodes(runID: runID)
            #expect(episodes.map(\.episodeNum) == [1, 2, 3], "episodes count from 1")
            let steps = try await harness.storedSteps(runID)
            for episode in episodes {
                // Every step of every episode, once, in order (telemetry_every 1).
                let numbers = steps.filter { $0.episode == episode.episodeNum }.map(\.step)
                #expect(numbers == Array(1...max(1, numbers.count)))
                let rows = try await harness.tests.steps(runID: runID, episode: episode.episodeNum)
                let last = try #require(rows.last)
                #expect(episode.kills == last.killcount, "the episode's kills are the engine's final killcount")
                #expect(Int((episode.durationSeconds * 35).rounded()) == last.tic)
                #expect(episode.endReason == .timeout || episode.endReason == .death)
                #expect(!episode.events.isEmpty, "a defend_the_center episode always has events (ammo used, health lost, kills)")
            }
            let summary = try #require(finished.summary)
            let aggregate = try PlaytestJSON.decode(AggregateMetrics.self, from: summary)
            #expect(aggregate.episodes == 3)
            #expect(aggregate.totalKills == episodes.map(\.kills).reduce(0, +))

            let artifacts = try await harness.tests.artifacts(runID: runID)
            #expect(artifacts.filter { $0.kind == "demo" }.map(\.episode) == [1, 2, 3])
            #expect(Set(artifacts.filter { $0.kind == "screenshot" && $0.reason == "tic" }.map(\.episode)) == [1, 2, 3])
            for artifact in artifacts {
                #expect(artifact.blobKey.hasPrefix("runs/\(runID)/"))
                #expect(try await harness.engines.blobs.exists(artifact.blobKey))
            }
            #expect(harness.agentPIDs().isEmpty)
            let job = try #require(try await harness.job(of: finished))
            #expect(job.state == .completed)
        }
    }

    @Test("a WAD the agent rejects fails the run at once with the agent's message")
    func rejectedWAD() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importFreedoom2()
            // The stored file is damaged after it was imported: the agent finds the directory cut off.
            let path = harness.dataDirectory + "/blobs/" + harness.blobKey(of: map)
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            try handle.truncate(atOffset: 4096)
            try handle.close()
            let started = try await harness.launcher.startTest(TestRunRequest(mapID: map.id, map: "MAP01", agent: "random", episodes: 2))
            let runID = started.id
            let failed = try await harness.withWorker { _ in try await harness.waitForRun(runID) { $0.status.isFinal } }
            #expect(failed.status == .failed)
            let error = try #require(failed.error)
            #expect(error.contains("wad_invalid"))
            #expect(error.contains("truncated"))
            #expect(failed.stderrTail?.isEmpty == false)
            let job = try #require(try await harness.job(of: failed))
            #expect(job.state == .discarded, "a bad WAD is not retried")
            #expect(job.attempt == 1)
        }
    }

    @Test("a run whose WAD is gone from the blob store fails on its last attempt, not left running with its job discarded")
    func wadGoneOnLastAttempt() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTest(TestRunRequest(mapID: map.id, agent: "random", episodes: 1))
            try await harness.engines.blobs.delete(harness.blobKey(of: map))
            // The job's last attempt is its first (the run's three would wait out the queue's backoff).
            try await harness.engines.sql.sql.raw("UPDATE jobs SET max_attempts = 1").run()
            let failed = try await harness.withWorker { _ in try await harness.waitForRun(started.id) { $0.status.isFinal } }
            #expect(failed.status == .failed)
            #expect(failed.error?.contains("could not be fetched from the blob store") == true, "\(failed.error ?? "")")
            let job = try #require(try await harness.job(of: failed))
            #expect(job.state == .discarded)
        }
    }

    @Test("a killed agent fails the run with its stderr tail and keeps the episodes it finished")
    func killedAgent() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            // As many episodes as a run may have: the agent plays for many seconds after its first episode is stored, so
            // it is still there to be killed however fast the machine is (50 short episodes could all end before the poll).
            let started = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 1000, params: Self.shortEpisodes))
            let runID = started.id
            // One attempt only, so the crash is final (the queue would otherwise retry it).
            try await harness.engines.sql.sql.raw("UPDATE jobs SET max_attempts = 1 WHERE id = \(bind: started.taskID ?? "")").run()
            let failed = try await harness.withWorker { _ in
                try await harness.waitForRun(runID) { $0.progress >= 1 }
                let agents = harness.agentPIDs().filter { pid in
                    let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
                    return command.contains("playtest_agent")
                }
                #expect(agents.count == 1)
                for pid in agents { kill(pid, SIGKILL) }
                return try await harness.waitForRun(runID) { $0.status.isFinal }
            }
            #expect(failed.status == .failed)
            #expect(failed.error?.contains("SIGKILL") == true, "\(failed.error ?? "")")
            #expect(failed.stderrTail != nil, "the stderr tail is kept (empty when the agent logged nothing)")
            let kept = try await harness.tests.episodes(runID: runID)
            #expect(kept.count >= 1)
            #expect(kept.map(\.episodeNum) == Array(1...kept.count))
            #expect(failed.progress == kept.count)
        }
    }

    @Test("stopping a test run ends it as stopped, with whole episodes only")
    func stopTest() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            // Long enough that the run is still playing when the stop comes (how fast a stop lands is bench/'s business).
            let started = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 1000, params: Self.shortEpisodes))
            let runID = started.id
            let stopped = try await harness.withWorker { _ in
                try await harness.waitForRun(runID) { $0.progress >= 1 }
                #expect(try await harness.launcher.stop(kind: .testing, ids: [runID]).ids == [runID])
                return try await harness.waitForRun(runID) { $0.status.isFinal }
            }
            #expect(stopped.status == .stopped)
            #expect(harness.agentPIDs().isEmpty, "the agent is gone")
            let episodes = try await harness.tests.episodes(runID: runID)
            let stepEpisodes = Set(try await harness.storedSteps(runID).map(\.episode))
            #expect(stepEpisodes == Set(episodes.map(\.episodeNum)), "no rows of the episode the stop cut short")
            #expect(try #require(try await harness.job(of: stopped)).state == .cancelled)
        }
    }

    @Test("at its soft time limit a test run stops, keeps its whole episodes and says which limit")
    func softTimeLimit() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 1000, params: Self.shortEpisodes))
            let runID = started.id
            let limits = RunTimeLimits([.testing: .init(soft: .seconds(10), hard: .seconds(120))])
            let stopped = try await harness.withWorker(timeLimits: limits) { _ in
                try await harness.waitForRun(runID, timeout: .seconds(120)) { $0.status.isFinal }
            }
            #expect(stopped.status == .stopped, "\(stopped.error ?? "")")
            #expect(stopped.error?.contains("soft time limit of 10 s") == true, "\(stopped.error ?? "no reason")")
            #expect(stopped.progress < 1000)
            let episodes = try await harness.tests.episodes(runID: runID)
            let stepEpisodes = Set(try await harness.storedSteps(runID).map(\.episode))
            #expect(stepEpisodes == Set(episodes.map(\.episodeNum)), "no rows of the episode the limit cut short")
            #expect(harness.agentPIDs().isEmpty, "the agent is gone")
            #expect(try #require(try await harness.job(of: stopped)).state == .completed, "not retried: the limit would stop it again")
        }
    }

    @Test("an agent that ignores SIGTERM is killed at the hard time limit, and the run fails naming it")
    func hardTimeLimit() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let started = try await harness.launcher.startTest(TestRunRequest(mapID: map.id, agent: "random", episodes: 3))
            let runID = started.id
            let directory = try AgentFixtures.temporaryDirectory("hard-limit")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stubborn = try AgentFixtures.fakeRuntime(script: "trap '' TERM\necho '\(AgentFixtures.hello)'\nsleep 60", in: directory)
            let limits = RunTimeLimits([.testing: .init(soft: .seconds(1), hard: .seconds(3))])
            let clock = ContinuousClock.now
            let failed = try await harness.withWorker(timeLimits: limits, runtime: stubborn) { _ in
                try await harness.waitForRun(runID, timeout: .seconds(60)) { $0.status.isFinal }
            }
            #expect(failed.status == .failed)
            #expect(failed.error?.contains("hard time limit of 3 s") == true, "\(failed.error ?? "no reason")")
            #expect(ContinuousClock.now - clock < .seconds(50), "killed long before its 60 s sleep ended")
            #expect(try #require(try await harness.job(of: failed)).state == .discarded, "a permanent failure: not retried")
        }
    }
}
