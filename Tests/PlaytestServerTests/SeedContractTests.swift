import Foundation
import PlaytestCore
@testable import PlaytestServer
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import PlaytestWorker
import Testing
import VaporTesting

/// Seed 001's own example requests, verbatim but for the map id (the seed's `123` is a library map's UUID here),
/// against the API: every field its example responses show is there, with its meaning.
@Suite("Seed 001's examples", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct SeedContractTests {
    /// The JSON of a seed example, its `// comments` removed, with `map_id` set to a real map.
    static func seedBody(_ text: String, mapID: String) throws -> (HTTPHeaders, ByteBuffer) {
        let withoutComments = text.split(separator: "\n").map { line in
            line.range(of: "  //").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }.joined(separator: "\n")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(withoutComments.utf8)) as? [String: Any])
        object["map_id"] = mapID
        var headers = HTTPHeaders()
        headers.contentType = .json
        return (headers, ByteBuffer(data: try JSONSerialization.data(withJSONObject: object)))
    }

    static let trainingStart = #"""
        {
          "map_id": 123,
          "max_iterations": 100000,
          "action_combinations": "move_fb;move_lr;turn_lr;attack",
          "params": {
            "scenario": "deathmatch",
            "height": 60,
            "width": 108,
            "frame_skip": 4,
            "network_type": "dqn_ff",
            "batch_size": 32,
            "learning_rate": 0.0002,
            "gamma": 0.99
          }
        }
        """#

    static let testingStart = #"""
        {
          "map_id": 123,
          "checkpoint": "pretrained/defend_the_center.pth",  // or training checkpoint
          "episodes": 20,
          "action_combinations": "move_fb;move_lr;turn_lr;attack",
          "params": {
            "scenario": "deathmatch",
            "episode_time": 120,  // seconds per episode
            "visualize": false
          }
        }
        """#

    func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(response.body.string)")
    }

    func expectFields(_ object: [String: Any], _ fields: [String], _ context: String) {
        let missing = fields.filter { object[$0] == nil }
        #expect(missing.isEmpty, "\(context) lacks \(missing)")
    }

    func get(_ app: Application, _ path: String) async throws -> [String: Any] {
        var body: [String: Any] = [:]
        try await app.testing().test(.GET, path) { response in
            #expect(response.status == .ok, "\(path): \(response.body.string)")
            body = try json(response)
        }
        return body
    }

    /// Adds the bundled deathmatch scenario the seed's `params.scenario` names (as `serve` does at first start), then
    /// uploads a WAD as the seed does ("My Test Map"): the basic scenario's, a different file from the built-in one.
    func upload(_ app: Application, _ engines: PlaytestEngines) async throws -> String {
        _ = try await importScenario(engines, "deathmatch")
        let directory = try #require(testVizdoomDirectory)
        let file = try #require(FileManager.default.contents(atPath: directory + "/scenarios/basic.wad"))
        let (headers, body) = multipartBody(file: [UInt8](file), filename: "custom_map.wad", fields: ["name": "My Test Map"])
        var id = ""
        try await app.testing().test(.POST, "api/v1/maps/upload", headers: headers, body: body) { response in
            #expect(response.status == .created)
            let map = try json(response)
            expectFields(map, ["id", "name", "filename", "file_url", "uploaded_at", "size_bytes"], "the upload's answer")
            #expect(map["name"] as? String == "My Test Map" && map["filename"] as? String == "custom_map.wad")
            id = try #require(map["id"] as? String)
            #expect(id == id.lowercased())
        }
        let list = try await get(app, "api/v1/maps")
        expectFields(list, ["maps", "total"], "GET /maps")
        let entry = try #require((list["maps"] as? [[String: Any]])?.first { $0["id"] as? String == id })
        expectFields(entry, ["id", "name", "filename", "uploaded_at", "size_bytes", "train_count", "test_count"], "a listed map")
        return id
    }

    @Test("health in the seed's words")
    func health() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "api/v1/health") { response in
                let health = try json(response)
                expectFields(health, ["status", "version", "timestamp", "database", "redis", "storage", "workers"], "health")
                #expect(["healthy", "unhealthy"].contains(health["status"] as? String ?? ""))
                #expect(health["database"] as? String == "connected" && health["storage"] as? String == "accessible")
                expectFields(try #require(health["workers"] as? [String: Any]), ["count", "status"], "health.workers")
            }
        }
    }

    @Test("training: start, status, stop and logs")
    func training() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await upload(app, engines)
            let (headers, body) = try Self.seedBody(Self.trainingStart, mapID: mapID)
            var trainingID = ""
            try await app.testing().test(.POST, "api/v1/training/start", headers: headers, body: body) { response in
                #expect(response.status == .accepted, "\(response.body.string)")
                let started = try json(response)
                expectFields(started, ["training_id", "status", "map_id", "max_iterations", "started_at", "task_id"], "training/start")
                #expect(started["status"] as? String == "started" && started["map_id"] as? String == mapID)
                #expect(started["max_iterations"] as? Int == 100_000)
                trainingID = try #require(started["training_id"] as? String)
            }
            let status = try await get(app, "api/v1/training/\(trainingID)/status")
            expectFields(status, ["training_id", "status", "map_id", "map_name", "progress", "latest_metrics", "started_at"], "training status")
            #expect(status["status"] as? String == "pending" && status["map_id"] as? String == mapID)
            #expect(status["map_name"] as? String == "My Test Map", "map_name is the uploaded map's name, as in the seed")
            expectFields(try #require(status["progress"] as? [String: Any]),
                         ["current_iteration", "max_iterations", "progress_percent", "elapsed_seconds", "estimated_remaining_seconds"],
                         "training status progress")
            var headersStop = HTTPHeaders()
            headersStop.contentType = .json
            try await app.testing().test(.POST, "api/v1/training/stop", headers: headersStop,
                                         body: ByteBuffer(string: #"{"training_id": "\#(trainingID)"}"#)) { response in
                let stopped = try json(response)
                expectFields(stopped, ["stopped_count", "training_ids", "message"], "training/stop")
                #expect(stopped["stopped_count"] as? Int == 1 && stopped["training_ids"] as? [String] == [trainingID])
            }
            let log = try await get(app, "api/v1/training/\(trainingID)/logs")
            expectFields(log, ["training_id", "map_id", "max_iterations", "final_iteration", "started_at", "completed_at", "duration_seconds",
                               "iterations", "max_loss", "min_loss", "mean_loss", "final_loss"], "training logs")
            #expect(log["map_id"] as? String == mapID && log["max_iterations"] as? Int == 100_000)
        }
    }

    @Test("testing with the seed's checkpoint path: start, status, an episode played, stop, results and logs")
    func testing() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await upload(app, engines)
            let (headers, body) = try Self.seedBody(Self.testingStart, mapID: mapID)
            var testID = ""
            try await app.testing().test(.POST, "api/v1/testing/start", headers: headers, body: body) { response in
                #expect(response.status == .accepted, "\(response.body.string)")
                let started = try json(response)
                expectFields(started, ["test_id", "status", "map_id", "checkpoint", "episodes", "started_at", "task_id"], "testing/start")
                #expect(started["status"] as? String == "started" && started["episodes"] as? Int == 20)
                #expect(started["checkpoint"] as? String == "defend_the_center", "the shipped checkpoint with the seed path's stem")
                testID = try #require(started["test_id"] as? String)
            }
            // A worker plays it until the first episode is in, then the seed's stop request ends it.
            let pool = WorkerPool(
                queue: engines.queue, registry: engines.workers, handlers: try RunJobHandler.all(services: testServices(engines)),
                options: .init(concurrency: 1, pollInterval: .milliseconds(100)), logger: TestDatabase.quietLogger())
            let running = Task { await pool.run() }
            defer { pool.shutdown() }
            let status = try await Deadline.value("the first episode", within: .seconds(300), every: .milliseconds(500)) {
                let status = try await get(app, "api/v1/testing/\(testID)/status")
                if status["status"] as? String == "failed" { throw LaunchError("the run failed: \(status["error"] ?? "")") }
                return status["latest_episode"] is [String: Any] ? status : nil
            }
            expectFields(status, ["test_id", "status", "map_id", "map_name", "checkpoint", "progress", "latest_episode", "started_at"], "testing status")
            expectFields(try #require(status["progress"] as? [String: Any]),
                         ["current_episode", "total_episodes", "progress_percent", "elapsed_seconds", "estimated_remaining_seconds"], "testing progress")
            let latest = try #require(status["latest_episode"] as? [String: Any])
            expectFields(latest, ["episode_num", "kills", "health_remaining", "duration_seconds", "timestamp"], "latest_episode")
            let current = try #require((status["progress"] as? [String: Any])?["current_episode"] as? Int)
            // Episodes count from 1; `current_episode` is the one being played (docs/api.md), so once the next episode
            // has begun it is one past the newest finished one.
            let newest = try #require(latest["episode_num"] as? Int)
            #expect(newest >= 1 && (current == newest || current == newest + 1), "episodes count from 1: current \(current), newest \(newest)")
            #expect(status["map_name"] as? String == "My Test Map" && status["checkpoint"] as? String == "defend_the_center")
            var stopHeaders = HTTPHeaders()
            stopHeaders.contentType = .json
            try await app.testing().test(.POST, "api/v1/testing/stop", headers: stopHeaders,
                                         body: ByteBuffer(string: #"{"test_id": "\#(testID)"}"#)) { response in
                let stopped = try json(response)
                expectFields(stopped, ["stopped_count", "test_ids", "message"], "testing/stop")
                #expect(stopped["test_ids"] as? [String] == [testID])
            }
            _ = try await Deadline.value("the stop", within: .seconds(60), every: .milliseconds(250)) {
                let status = try await get(app, "api/v1/testing/\(testID)/status")
                return status["status"] as? String == "stopped" ? status : nil
            }
            pool.shutdown()
            await running.value

            let results = try await get(app, "api/v1/testing/\(testID)/results")
            expectFields(results, ["test_id", "map_id", "map_name", "checkpoint", "started_at", "completed_at", "duration_seconds", "episodes",
                                   "aggregate_metrics"], "results")
            #expect(results["map_name"] as? String == "My Test Map")
            let episode = try #require((results["episodes"] as? [[String: Any]])?.first)
            expectFields(episode, ["episode_num", "kills", "deaths", "duration_seconds", "health_lost", "ammo_used", "final_health", "events"], "an episode")
            #expect(episode["episode_num"] as? Int == 1)
            for event in try #require(episode["events"] as? [[String: Any]]) {
                expectFields(event, ["timestamp", "type"], "an event")
            }
            expectFields(try #require(results["aggregate_metrics"] as? [String: Any]), [
                "total_kills", "total_deaths", "min_kills", "max_kills", "mean_kills", "median_kills", "std_kills", "min_health_lost",
                "max_health_lost", "mean_health_lost", "mean_duration_seconds", "survival_rate", "kill_death_ratio",
            ], "aggregate_metrics")

            let log = try await get(app, "api/v1/testing/\(testID)/logs?episode_num=1")
            expectFields(log, ["test_id", "episode_num", "duration_seconds", "frames", "events", "health_timeline"], "logs")
            #expect(log["test_id"] as? String == testID && log["episode_num"] as? Int == 1)
            for event in try #require(log["events"] as? [[String: Any]]) {
                expectFields(event, ["frame", "timestamp", "type"], "a logged event")
                switch event["type"] as? String {
                case "kill": expectFields(event, ["health", "ammo"], "a kill")
                case "death": expectFields(event, ["health", "ammo"], "a death")
                case "ammo_lost": expectFields(event, ["ammo_before", "ammo_after", "amount"], "ammo_lost")
                case "health_lost": expectFields(event, ["health_before", "health_after", "damage"], "health_lost")
                default: break
                }
            }
            for point in try #require(log["health_timeline"] as? [[String: Any]]) {
                expectFields(point, ["timestamp", "health"], "a health point")
            }
        }
    }
}
