import Foundation
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
@testable import PlaytestStorage
import Testing
import VaporTesting

/// The Testing, Training and Runs APIs without a worker: what a start request creates (or refuses to), stop
/// semantics, and the read endpoints of a run that has not started.
@Suite("Runs API", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct RunsAPITests {
    struct Started: Decodable {
        var test_id: String?
        var training_id: String?
        var status: String
        var map_id: String
        var map_name: String?
        var map: String?
        var task_id: String?
        var episodes: Int?
        var max_iterations: Int?
        var checkpoint: String?
        var started_at: String?
    }
    struct Stopped: Decodable {
        var stopped_count: Int
        var test_ids: [String]?
        var training_ids: [String]?
        var message: String
    }
    struct RunList: Decodable {
        struct Run: Decodable { var id: String; var kind: String; var status: String; var map_name: String; var map: String }
        var runs: [Run]
        var total: Int
    }

    static func json(_ object: [String: Any]) throws -> (HTTPHeaders, ByteBuffer) {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return (headers, ByteBuffer(data: try JSONSerialization.data(withJSONObject: object)))
    }

    func post(_ app: Application, _ path: String, _ object: [String: Any], check: (TestingHTTPResponse) async throws -> Void) async throws {
        let (headers, body) = try Self.json(object)
        try await app.testing().test(.POST, path, headers: headers, body: body) { try await check($0) }
    }

    func runCount(_ app: Application) async throws -> Int {
        var total = -1
        try await app.testing().test(.GET, "api/v1/runs") { response in
            let list = try response.content.decode(RunList.self)
            total = list.total
        }
        return total
    }

    @Test("a test run starts as 202 with the seed's fields, is listed, and stops at once while queued")
    func startAndStopQueued() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await importScenario(engines)
            var testID = ""
            try await post(app, "api/v1/testing/start", ["map_id": mapID.uppercased(), "agent": "random", "episodes": 3,
                                                         "params": ["episode_time": 5, "skill": 2, "seed": 7]]) { response in
                #expect(response.status == .accepted)
                let started = try response.content.decode(Started.self)
                #expect(started.test_id?.hasPrefix("test_") == true)
                #expect(started.status == "started" && started.map_id == mapID && started.episodes == 3, "ids answer in lower case")
                #expect(started.map_name == "defend_the_center" && started.map == "MAP01", "the library entry, and the map inside")
                #expect(started.task_id != nil && started.started_at != nil)
                testID = started.test_id ?? ""
            }
            let jobID = try #require(try await RunStore(sql: engines.sql).run(id: testID)?.jobID)
            let job = try #require(try await engines.queue.job(id: jobID))
            #expect(job.kind == RunJob.testKind && job.payload.contains(testID))

            try await app.testing().test(.GET, "api/v1/testing/\(testID)/status") { response in
                #expect(response.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(body["status"] as? String == "pending")
                let progress = try #require(body["progress"] as? [String: Any])
                #expect(progress["total_episodes"] as? Int == 3 && progress["current_episode"] as? Int == 0)
                #expect(body["map_id"] as? String == mapID && body["map_name"] as? String == "defend_the_center")
                #expect(body["map"] as? String == "MAP01" && body.keys.contains("checkpoint"))
            }
            try await app.testing().test(.GET, "api/v1/runs?kind=testing&status=pending") { response in
                let list = try response.content.decode(RunList.self)
                #expect(list.total == 1 && list.runs.first?.id == testID && list.runs.first?.map == "MAP01")
                #expect(list.runs.first?.map_name == "defend_the_center")
            }
            try await app.testing().test(.GET, "api/v1/runs?kind=training") { response in
                let list = try response.content.decode(RunList.self)
                #expect(list.total == 0)
            }

            try await post(app, "api/v1/testing/stop", ["test_id": testID]) { response in
                #expect(response.status == .ok)
                let stopped = try response.content.decode(Stopped.self)
                #expect(stopped.stopped_count == 1 && stopped.test_ids == [testID])
            }
            let run = try #require(try await RunStore(sql: engines.sql).run(id: testID))
            #expect(run.status == .stopped)
            #expect(try await engines.queue.job(id: try #require(run.jobID))?.state == .cancelled)
            // Stopping a finished run is not an error.
            try await post(app, "api/v1/testing/stop", ["test_id": testID]) { response in
                #expect(response.status == .ok)
                let stopped = try response.content.decode(Stopped.self)
                #expect(stopped.stopped_count == 0 && stopped.test_ids == [])
            }
            // A test id is not a training id.
            try await post(app, "api/v1/training/stop", ["training_id": testID]) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("bad start requests get a 4xx naming the problem and create nothing")
    func badStarts() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await importScenario(engines)
            let cases: [(body: [String: Any], status: HTTPResponseStatus, fragment: String)] = [
                (["map_id": UUID().uuidString, "episodes": 1], .notFound, "no map with id"),
                (["map_id": "not-a-map", "episodes": 1], .notFound, "not a map id"),
                (["map_id": mapID, "map": "MAP07", "episodes": 1], .unprocessableEntity, "MAP07"),
                (["map_id": mapID, "map_name": "MAP01", "episodes": 1], .unprocessableEntity, "unknown field"),
                (["map_id": mapID, "episodes": 0], .unprocessableEntity, "episodes"),
                (["map_id": mapID, "episodes": 1001], .unprocessableEntity, "episodes"),
                (["map_id": mapID, "episodes": "3"], .unprocessableEntity, "episodes"),
                (["map_id": mapID, "episodes": 1, "params": ["episode_tme": 5]], .unprocessableEntity, "params.episode_tme"),
                (["map_id": mapID, "episodes": 1, "params": ["skill": 9]], .unprocessableEntity, "params.skill"),
                (["map_id": mapID, "episodes": 1, "params": ["scenario": "nowhere"]], .unprocessableEntity, "params.scenario"),
                (["map_id": mapID, "episodes": 1, "agent": "cheater"], .unprocessableEntity, "agent"),
                (["map_id": mapID, "episodes": 1, "checkpoint": "pretrained/nonesuch.pth"], .notFound, "defend_the_center"),
                (["map_id": mapID, "episodes": 1, "checkpoint": "ckpt_missing"], .notFound, "ckpt_missing"),
                (["map_id": mapID, "episodes": 1, "checkpoint": "nonesuch"], .notFound, "nonesuch"),
                (["map_id": mapID, "episodes": 1, "checkpoint": "defend_the_center", "agent": "random"], .unprocessableEntity, "dqn agent"),
                (["map_id": mapID, "episodes": 1, "checkpoint": "defend_the_center", "action_combinations": "move_fb;move_lr"],
                 .unprocessableEntity, "action set"),
                (["map_id": mapID, "episodes": 1, "action_combinations": "turn_lr;fly"], .unprocessableEntity, "fly"),
                (["map_id": mapID, "episodes": 1, "colour": "red"], .unprocessableEntity, "colour"),
            ]
            for item in cases {
                try await post(app, "api/v1/testing/start", item.body) { response in
                    #expect(response.status == item.status, "\(item.body)")
                    let error = try response.content.decode(ErrorEnvelope.self)
                    #expect(error.error.message.contains(item.fragment), "\(error.error.message) should mention \(item.fragment)")
                }
            }
            let training: [(body: [String: Any], status: HTTPResponseStatus, fragment: String)] = [
                (["map_id": mapID], .unprocessableEntity, "max_iterations"),
                (["map_id": mapID, "max_iterations": 0], .unprocessableEntity, "max_iterations"),
                (["map_id": mapID, "max_iterations": 1000, "params": ["network_type": "transformer"]], .unprocessableEntity, "dqn_ff or dqn_rnn"),
                (["map_id": mapID, "max_iterations": 1000, "params": ["learning_rate": -1]], .unprocessableEntity, "params.learning_rate"),
                (["map_id": mapID, "max_iterations": 1000, "resume_from": "train_nothing"], .notFound, "train_nothing"),
                (["map_id": mapID, "max_iterations": 1000, "resume_from": "ckpt_nothing"], .notFound, "ckpt_nothing"),
            ]
            for item in training {
                try await post(app, "api/v1/training/start", item.body) { response in
                    #expect(response.status == item.status, "\(item.body)")
                    let error = try response.content.decode(ErrorEnvelope.self)
                    #expect(error.error.message.contains(item.fragment), "\(error.error.message) should mention \(item.fragment)")
                }
            }
            var headers = HTTPHeaders()
            headers.contentType = .json
            try await app.testing().test(.POST, "api/v1/testing/start", headers: headers, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await runCount(app) == 0)
            #expect(try await engines.queue.counts().values.reduce(0, +) == 0)
        }
    }

    @Test("a training run starts with its plan resolved from the params; unknown runs are 404 everywhere")
    func trainingStartAndReads() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await importScenario(engines)
            var trainingID = ""
            try await post(app, "api/v1/training/start", [
                "map_id": mapID, "max_iterations": 2000, "action_combinations": "turn_lr;attack",
                "params": ["height": 48, "width": 64, "frame_skip": 4, "network_type": "dqn_rnn", "batch_size": 16,
                           "learning_rate": 0.0005, "gamma": 0.95],
            ]) { response in
                #expect(response.status == .accepted)
                let started = try response.content.decode(Started.self)
                #expect(started.training_id?.hasPrefix("train_") == true && started.max_iterations == 2000)
                trainingID = started.training_id ?? ""
            }
            let run = try #require(try await RunStore(sql: engines.sql).run(id: trainingID))
            let plan = try RunPlan(json: run.plan)
            #expect(plan.actionCombinations == "turn_lr;attack" && plan.maxIterations == 2000 && plan.frameSkip == 4)
            #expect(plan.dqn["recurrent"] == .bool(true) && plan.dqn["frame_height"] == .int(48) && plan.dqn["batch_size"] == .int(16))
            #expect(plan.dqn["learning_starts"] == .int(400), "a short run starts learning after a fifth of it")
            #expect(plan.scenario == "defend_the_center.cfg")

            try await app.testing().test(.GET, "api/v1/training/\(trainingID)/status") { response in
                #expect(response.status == .ok)
            }
            try await app.testing().test(.GET, "api/v1/training/\(trainingID)/checkpoints") { response in
                #expect(response.status == .ok)
            }
            try await app.testing().test(.GET, "api/v1/runs/\(trainingID)/artifacts") { response in
                #expect(response.status == .ok)
            }
            for path in ["api/v1/testing/\(trainingID)/status", "api/v1/testing/test_0000/results", "api/v1/training/train_x/logs",
                         "api/v1/runs/nope", "api/v1/artifacts/art_x/file", "api/v1/checkpoints/ckpt_x/file"] {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .notFound, "\(path)")
                }
            }
            // No id stops every active training run.
            try await post(app, "api/v1/training/stop", [:]) { response in
                let stopped = try response.content.decode(Stopped.self)
                #expect(stopped.stopped_count == 1 && stopped.training_ids == [trainingID])
            }
        }
    }

    @Test("status answers from the live state while a worker plays, and from SQL once a stop is asked for")
    func liveStatus() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await importScenario(engines)
            let started = try await post(app, "api/v1/testing/start", ["map_id": mapID, "agent": "random", "episodes": 4])
            let testID = try #require(started.test_id)
            // What a worker does: claim the job, then write the live state while it plays episode 3, with episodes 1
            // and 2 done.
            let claimed = try await engines.queue.claim(workerID: "test-worker", kinds: [RunJob.testKind], lease: .seconds(60))
            #expect(claimed.count == 1)
            let runs = RunStore(sql: engines.sql)
            #expect(try await runs.markRunning(id: testID, from: [.pending], at: Date().addingTimeInterval(-20)))
            let latest = try PlaytestJSON.string(TestStatus.LatestEpisode(episodeNum: 2, kills: 3, healthRemaining: 40, durationSeconds: 9, timestamp: Date()))
            try await RunLiveState(live: engines.live).update(runID: testID, LiveRunSnapshot(
                status: .running, mapID: mapID, mapName: "defend_the_center", map: "MAP01", currentEpisode: 3, totalEpisodes: 4, steps: 777, latestEpisode: latest,
                startedAt: Date().addingTimeInterval(-20), updatedAt: Date()))
            try await app.testing().test(.GET, "api/v1/testing/\(testID)/status") { response in
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(body["status"] as? String == "running" && body["steps"] as? Int == 777)
                let progress = try #require(body["progress"] as? [String: Any])
                #expect(progress["current_episode"] as? Int == 3 && progress["progress_percent"] as? Double == 50)
                #expect(body["map_id"] as? String == mapID && body["map_name"] as? String == "defend_the_center")
                #expect((progress["estimated_remaining_seconds"] as? Double ?? 0) > 15, "two episodes done in ~20 s, two to go")
                let latestEpisode = try #require(body["latest_episode"] as? [String: Any])
                #expect(latestEpisode["kills"] as? Int == 3 && latestEpisode["health_remaining"] as? Int == 40)
            }
            try await post(app, "api/v1/testing/stop", ["test_id": testID]) { response in
                let stopped = try response.content.decode(Stopped.self)
                #expect(stopped.stopped_count == 1)
            }
            try await app.testing().test(.GET, "api/v1/testing/\(testID)/status") { response in
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(body["status"] as? String == "stopping")
            }
        }
    }

    func post(_ app: Application, _ path: String, _ object: [String: Any]) async throws -> Started {
        var started: Started?
        try await post(app, path, object) { response in
            #expect(response.status.code < 300)
            started = try response.content.decode(Started.self)
        }
        return try #require(started)
    }
}
