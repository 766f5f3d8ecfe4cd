import Foundation
import Logging
@testable import PlaytestServer
import PlaytestServices
@testable import PlaytestStorage
import PlaytestTestSupport
import PlaytestWorker
import Testing
import VaporTesting

/// What a new user does through the API, with a real worker and the real agent: test the explorer on freedoom2
/// MAP01 and read results, logs and artifacts; train a DQN briefly, stop it, resume it, and test its checkpoint.
@Suite("Runs end to end", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct RunsEndToEndTests {
    /// Runs `test` with an embedded worker pool playing the run jobs.
    func withWorker(_ test: (Application, PlaytestEngines, String) async throws -> Void) async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let pool = WorkerPool(
                queue: engines.queue, registry: engines.workers,
                handlers: try RunJobHandler.all(services: services, options: .init(stopGrace: .seconds(5))),
                options: .init(concurrency: 1, pollInterval: .milliseconds(100)), logger: TestDatabase.quietLogger())
            let running = Task { await pool.run() }
            let freedoom = try #require(testVizdoomDirectory) + "/freedoom2.wad"
            let map = try await services.maps.importWAD(fileAt: freedoom, name: "Freedoom 2").map
            do {
                try await test(app, engines, map.id)
            } catch {
                pool.shutdown()
                await running.value
                throw error
            }
            pool.shutdown()
            await running.value
        }
    }

    func post(_ app: Application, _ path: String, _ object: [String: Any]) async throws -> [String: Any] {
        let (headers, body) = try RunsAPITests.json(object)
        var result: [String: Any] = [:]
        try await app.testing().test(.POST, path, headers: headers, body: body) { response in
            #expect(response.status.code < 300, "\(path): \(response.body.string)")
            result = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }
        return result
    }

    func get(_ app: Application, _ path: String) async throws -> [String: Any] {
        var result: [String: Any] = [:]
        try await app.testing().test(.GET, path) { response in
            #expect(response.status == .ok, "\(path): \(response.body.string)")
            result = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }
        return result
    }

    /// Polls a status endpoint until the run's status is one of `statuses`.
    func waitFor(_ app: Application, _ path: String, _ statuses: Set<String>, timeout: Duration = .seconds(240)) async throws -> [String: Any] {
        try await Deadline.value("\(path) to reach \(statuses.sorted())", within: timeout, every: .milliseconds(250)) {
            let body = try await get(app, path)
            guard let status = body["status"] as? String, statuses.contains(status) else { return nil }
            return body
        }
    }

    @Test("explorer on freedoom2 MAP01: results, logs and artifacts in the seed's shapes")
    func testRun() async throws {
        try await withWorker { app, _, mapID in
            let started = try await post(app, "api/v1/testing/start", [
                "map_id": mapID, "map": "MAP01", "agent": "explorer", "episodes": 2,
                "params": ["episode_time": 8, "seed": 3, "skill": 2]])
            let testID = try #require(started["test_id"] as? String)
            let status = try await waitFor(app, "api/v1/testing/\(testID)/status", ["completed", "failed"])
            #expect(status["status"] as? String == "completed", "\(status)")
            let progress = try #require(status["progress"] as? [String: Any])
            #expect(progress["current_episode"] as? Int == 2 && progress["progress_percent"] as? Double == 100)
            #expect(status["latest_episode"] is [String: Any])

            let results = try await get(app, "api/v1/testing/\(testID)/results")
            let episodes = try #require(results["episodes"] as? [[String: Any]])
            #expect(episodes.map { $0["episode_num"] as? Int } == [1, 2], "episodes count from 1")
            #expect(results["duration_seconds"] is Double, "results carry the run's duration")
            for key in ["kills", "deaths", "duration_seconds", "health_lost", "ammo_used", "final_health", "events"] {
                #expect(episodes[0][key] != nil, "episode field \(key)")
            }
            let aggregate = try #require(results["aggregate_metrics"] as? [String: Any])
            for key in ["total_kills", "total_deaths", "min_kills", "max_kills", "mean_kills", "median_kills", "std_kills",
                        "min_health_lost", "max_health_lost", "mean_health_lost", "mean_duration_seconds", "survival_rate",
                        "kill_death_ratio", "exit_rate", "coverage"] {
                #expect(aggregate.keys.contains(key), "aggregate field \(key)")
            }
            #expect((episodes[0]["duration_seconds"] as? Double ?? 0) > 1)

            let log = try await get(app, "api/v1/testing/\(testID)/logs?episode_num=1")
            #expect((log["frames"] as? Int ?? 0) > 35)
            let timeline = try #require(log["health_timeline"] as? [[String: Any]])
            #expect(!timeline.isEmpty && timeline[0]["health"] != nil && timeline[0]["timestamp"] != nil)
            #expect(log["events"] is [[String: Any]])

            let artifacts = try #require(try await get(app, "api/v1/runs/\(testID)/artifacts")["artifacts"] as? [[String: Any]])
            let screenshot = try #require(artifacts.first { $0["kind"] as? String == "screenshot" }, "every episode has a screenshot at 1 s")
            #expect(artifacts.contains { $0["kind"] as? String == "demo" }, "demos are recorded by default")
            let url = try #require(screenshot["url"] as? String)
            try await app.testing().test(.GET, String(url.dropFirst())) { response in
                #expect(response.status == .ok && response.headers.contentType == .png)
                #expect(Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            let run = try await get(app, "api/v1/runs/\(testID)")
            #expect(run["kind"] as? String == "testing" && run["progress"] as? Int == 2)
        }
    }

    @Test("train on defend_the_center, stop it, resume it from its checkpoint, and test the checkpoint")
    func trainStopResumeTest() async throws {
        try await withWorker { app, engines, _ in
            let scenario = try await importScenario(engines)
            let started = try await post(app, "api/v1/training/start", [
                "map_id": scenario, "max_iterations": 100_000, "action_combinations": "turn_lr;attack",
                "params": ["checkpoint_every": 200, "progress_every": 50, "learning_starts": 100, "batch_size": 16]])
            let trainingID = try #require(started["training_id"] as? String)
            // Let it learn a little, then stop it.
            try await Deadline.wait("400 iterations", within: .seconds(180), every: .milliseconds(250)) {
                let status = try await get(app, "api/v1/training/\(trainingID)/status")
                return ((status["progress"] as? [String: Any])?["current_iteration"] as? Int ?? 0) >= 400
            }
            let stopped = try await post(app, "api/v1/training/stop", ["training_id": trainingID])
            #expect(stopped["stopped_count"] as? Int == 1)
            let final = try await waitFor(app, "api/v1/training/\(trainingID)/status", ["stopped", "failed", "completed"], timeout: .seconds(60))
            #expect(final["status"] as? String == "stopped", "\(final)")

            let checkpoints = try #require(try await get(app, "api/v1/training/\(trainingID)/checkpoints")["checkpoints"] as? [[String: Any]])
            let last = try #require(checkpoints.last)
            #expect(last["final"] as? Bool == true, "the SIGTERM checkpoint is kept")
            #expect(last["action_combinations"] as? String == "turn_lr;attack")
            let lastIteration = try #require(last["iteration"] as? Int)
            let log = try await get(app, "api/v1/training/\(trainingID)/logs")
            let points = try #require(log["iterations"] as? [[String: Any]])
            #expect(!points.isEmpty && points.contains { $0["dqn_loss"] as? Double != nil }, "a loss curve after learning starts")

            let resumed = try await post(app, "api/v1/training/start", [
                "map_id": scenario, "max_iterations": lastIteration + 200, "resume_from": trainingID,
                "params": ["checkpoint_every": 100, "progress_every": 50]])
            let resumedID = try #require(resumed["training_id"] as? String)
            let done = try await waitFor(app, "api/v1/training/\(resumedID)/status", ["completed", "failed"])
            #expect(done["status"] as? String == "completed", "\(done)")
            let resumedLog = try await get(app, "api/v1/training/\(resumedID)/logs")
            #expect(resumedLog["final_iteration"] as? Int == lastIteration + 200, "iterations count on across the resume")
            let resumedCheckpoints = try #require(try await get(app, "api/v1/training/\(resumedID)/checkpoints")["checkpoints"] as? [[String: Any]])
            let checkpointID = try #require(resumedCheckpoints.last?["id"] as? String)

            let tested = try await post(app, "api/v1/testing/start", [
                "map_id": scenario, "checkpoint": checkpointID, "episodes": 1, "params": ["episode_time": 5]])
            let testID = try #require(tested["test_id"] as? String)
            let testStatus = try await waitFor(app, "api/v1/testing/\(testID)/status", ["completed", "failed"])
            #expect(testStatus["status"] as? String == "completed", "\(testStatus)")
        }
    }
}
