import Foundation
import PlaytestCore
@testable import PlaytestServer
import PlaytestServices
@testable import PlaytestStorage
import Testing
import VaporTesting

@Suite("Web pages")
struct WebHTMLTests {
    @Test("text and attribute values are escaped by construction")
    func escaping() {
        let html = el("a", .href("/x?a=1&b=\"2\""), .data("name", "<O'Brien>")) { "<script>alert(1)</script> & co" }
        #expect(html.rendered == #"<a href="/x?a=1&amp;b=&quot;2&quot;" data-name="&lt;O&#39;Brien&gt;">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</a>"#)
    }

    @Test("nil attributes are left out, empty ones are boolean, void elements have no end tag")
    func attributes() {
        let html = el("input", .type("checkbox"), .name(nil), Attribute.flag("checked", true), Attribute.flag("disabled", false))
        #expect(html.rendered == #"<input type="checkbox" checked>"#)
    }

    @Test("a smoothed curve starts at the first value and follows a step")
    func smoothing() {
        let points = (0..<50).map { (x: Double($0), y: $0 < 25 ? 0.0 : 10.0) }
        let smooth = SVGChart.smoothed(points, weight: 0.9)
        #expect(smooth.count == 50)
        #expect(smooth[0].y == 0)
        #expect(smooth[24].y == 0)
        #expect(smooth[30].y > 0 && smooth[30].y < 10)
        #expect(smooth[49].y > smooth[30].y)
    }

    @Test("the compare view reads repeated id parameters")
    func repeatedQuery() {
        #expect(WebController.repeatedQuery("id=test_a&x=1&id=test_b&id=", key: "id") == ["test_a", "test_b"])
        #expect(WebController.repeatedQuery(nil, key: "id").isEmpty)
    }
}

@Suite("Web pages served", .serialized)
struct WebPagesServedTests {
    static let scenarios = testVizdoomDirectory.map { $0 + "/scenarios" }

    func html(_ response: TestingHTTPResponse) -> String { response.body.string }

    func upload(_ app: Application, name: String) async throws -> String {
        let path = try #require(Self.scenarios) + "/basic.wad"
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let (headers, body) = multipartBody(file: [UInt8](bytes), filename: "basic.wad", fields: ["name": name])
        var id = ""
        try await app.testing().test(.POST, "api/v1/maps/upload", headers: headers, body: body) { response in
            #expect(response.status == .created)
            struct Created: Decodable { var id: UUID }
            id = try response.content.decode(Created.self).id.uuidString.lowercased()
        }
        return id
    }

    @Test("the maps library lists a WAD as plain HTML, its hostile name escaped", .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
    func library() async throws {
        try await withPlaytestApp { app, _ in
            let id = try await upload(app, name: "<script>alert('x')</script>")
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .html)
                let page = html(response)
                #expect(page.contains(#"data-map-id="\#(id)""#))
                #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
                #expect(!page.contains("<script>alert"))
                #expect(page.contains(#"id="upload-form""#))
            }
            try await app.testing().test(.GET, "/maps/\(id)") { response in
                #expect(response.status == .ok)
                let page = html(response)
                #expect(page.contains("<svg"))
                #expect(page.contains(#"id="map-stats""#))
                #expect(page.contains(#"id="test-form""#) && page.contains(#"id="train-form""#))
                #expect(!page.contains("<script>alert"))
            }
        }
    }

    @Test("a missing map, a missing run and a bad compare request are HTML pages that say what is wrong")
    func errors() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "/maps/00000000-0000-0000-0000-000000000000") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .html)
                #expect(html(response).contains("no map with id"))
                #expect(html(response).contains(#"class="failure""#))
            }
            try await app.testing().test(.GET, "/runs/test_nope") { response in
                #expect(response.status == .notFound)
                #expect(html(response).contains("no run &quot;test_nope&quot;"))
            }
            try await app.testing().test(.GET, "/runs/compare?id=test_a") { response in
                #expect(response.status == .badRequest)
                #expect(html(response).contains("pick 2 to 4 test runs"))
            }
        }
    }

    @Test("a failed run shows the agent's error, escaped, in the failure panel", .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
    func failedRun() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await upload(app, name: "failing")
            let run = RunRecord(
                id: "test_webfail", kind: .testing, status: .pending, mapID: try #require(UUID(uuidString: mapID)), mapName: "MAP01",
                agent: "explorer", plan: try RunPlan(mapName: "MAP01", agent: "explorer", episodes: 2).json(), target: 2)
            let store = RunStore(sql: engines.sql)
            try await store.insert(run)
            _ = try await store.finish(id: "test_webfail", status: .failed, from: [.pending], error: "agent crashed: <b>bad WAD</b>",
                                       stderrTail: "Traceback\nValueError", at: Date())
            try await app.testing().test(.GET, "/runs/test_webfail") { response in
                #expect(response.status == .ok)
                let page = html(response)
                #expect(page.contains("This run failed"))
                #expect(page.contains("agent crashed: &lt;b&gt;bad WAD&lt;/b&gt;"))
                #expect(page.contains("ValueError"))
                #expect(!page.contains("data-stop="))
            }
            try await app.testing().test(.GET, "/runs?status=failed") { response in
                #expect(response.status == .ok)
                #expect(html(response).contains(#"data-run-id="test_webfail""#))
            }
            try await app.testing().test(.GET, "/runs?status=completed") { response in
                #expect(!html(response).contains(#"data-run-id="test_webfail""#))
            }
        }
    }

    @Test("a run's map picture shows each newly finished episode until the run completes; the map page shows its newest completed run",
          .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
    func picturesFollowTheRun() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await upload(app, name: "pictures")
            let store = RunStore(sql: engines.sql)
            let telemetry = TestTelemetryStore(sql: engines.sql)
            try await store.insert(RunRecord(
                id: "test_pictures", kind: .testing, status: .pending, mapID: try #require(UUID(uuidString: mapID)), mapName: "MAP01",
                agent: "explorer", plan: try RunPlan(mapName: "MAP01", agent: "explorer", episodes: 2).json(), target: 2))
            #expect(try await store.markRunning(id: "test_pictures", from: [.pending], at: Date()))
            func play(episode: Int) async throws {
                try await telemetry.insertSteps(runID: "test_pictures", (0..<20).map { step in
                    StepRow(episode: episode, step: step, tic: step * 4, x: -300 + Double(step * 10), y: Double(episode * 40), angle: 0,
                            health: 100, armor: 0, ammo: 50, weapon: 2, killcount: 0, action: 0, reward: nil)
                })
                try await telemetry.saveEpisode(runID: "test_pictures", metrics: EpisodeMetrics(
                    episodeNum: episode, kills: 0, deaths: 0, durationSeconds: 2, healthLost: 0, ammoUsed: 0, finalHealth: 100,
                    exitReached: false, coverage: 0.1, endReason: .timeout, secretsFound: 0, itemsCollected: 0, events: []),
                    log: EpisodeLog(episodeNum: episode, durationSeconds: 2, frames: 80, events: [], healthTimeline: []))
            }
            func trajectories(_ path: String) async throws -> [Bool] {
                var drawn: [Bool] = []
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .ok)
                    drawn = [1, 2].map { html(response).contains("trajectory episode-\($0)") }
                }
                return drawn
            }
            try await play(episode: 1)
            #expect(try await trajectories("/runs/test_pictures") == [true, false])
            #expect(try await trajectories("/maps/\(mapID)?map=MAP01") == [false, false])   // no completed run yet
            try await play(episode: 2)
            #expect(try await trajectories("/runs/test_pictures") == [true, true])     // not the picture drawn while it ran
            _ = try await store.finish(id: "test_pictures", status: .completed, from: [.running], error: nil, stderrTail: nil, at: Date())
            #expect(try await trajectories("/runs/test_pictures") == [true, true])
            #expect(try await trajectories("/runs/test_pictures") == [true, true])     // the kept picture
            #expect(try await trajectories("/maps/\(mapID)?map=MAP01") == [true, true])
        }
    }

    @Test("the queue API lists, cancels and retries jobs; the workers page shows the depth")
    func queue() async throws {
        try await withPlaytestApp { app, engines in
            let job = try await engines.queue.enqueue(NewJob(kind: "run.test", payload: #"{"run_id":"test_q"}"#))
            try await app.testing().test(.GET, "api/v1/jobs?state=available") { response in
                #expect(response.status == .ok)
                let body = try response.content.decode(JobListBody.self)
                #expect(body.jobs.map(\.id) == [job.id])
                #expect(body.jobs.first?.run_id == "test_q")
                #expect(body.counts["available"] == 1)
            }
            try await app.testing().test(.GET, "api/v1/jobs?state=bogus") { response in
                #expect(response.status == .badRequest)
            }
            try await app.testing().test(.POST, "api/v1/jobs/\(job.id)/retry") { response in
                #expect(response.status == .conflict)
            }
            try await app.testing().test(.POST, "api/v1/jobs/\(job.id)/cancel") { response in
                #expect(response.status == .ok)
                let body = try response.content.decode(CancelBody.self)
                #expect(body.outcome == "cancelled")
            }
            try await app.testing().test(.GET, "/workers") { response in
                #expect(response.status == .ok)
                let page = html(response)
                #expect(page.contains(#"data-job-id="\#(job.id)""#))
                #expect(!page.contains(#"data-job-action="retry" data-job="\#(job.id)""#), "a cancelled job offers no Retry on the page")
            }
            try await app.testing().test(.POST, "api/v1/jobs/\(job.id)/retry") { response in
                #expect(response.status == .ok)
                let body = try response.content.decode(JobBody.self)
                #expect(body.state == "available")
            }
            try await app.testing().test(.POST, "api/v1/jobs/nope/cancel") { response in
                #expect(response.status == .notFound)
            }
            try await app.testing().test(.GET, "api/v1/workers") { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("retrying a failed run's discarded job puts the run back to pending", .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
    func retryFailedRun() async throws {
        try await withPlaytestApp { app, engines in
            let mapID = try await upload(app, name: "retry")
            let job = try await engines.queue.enqueue(NewJob(kind: "run.test", payload: #"{"run_id":"test_retry"}"#, maxAttempts: 1))
            let run = RunRecord(
                id: "test_retry", kind: .testing, status: .pending, mapID: try #require(UUID(uuidString: mapID)), mapName: "MAP01",
                agent: "explorer", plan: try RunPlan(mapName: "MAP01", agent: "explorer", episodes: 2).json(), target: 2, jobID: job.id)
            let store = RunStore(sql: engines.sql)
            try await store.insert(run)
            let claimed = try await engines.queue.claim(workerID: "w", kinds: ["run.test"], lease: .seconds(30))
            #expect(claimed.map(\.id) == [job.id])
            #expect(try await engines.queue.fail(id: job.id, workerID: "w", message: "agent crashed") == .discarded)
            _ = try await store.finish(id: "test_retry", status: .failed, from: [.pending], error: "agent crashed", stderrTail: "trace", at: Date())
            try await app.testing().test(.GET, "/workers") { response in
                #expect(html(response).contains(#"data-job-action="retry" data-job="\#(job.id)""#))
                #expect(html(response).contains("agent crashed"))
            }
            try await app.testing().test(.POST, "api/v1/jobs/\(job.id)/retry") { response in
                #expect(response.status == .ok)
            }
            let after = try #require(try await store.run(id: "test_retry"))
            #expect(after.status == .pending)
            #expect(after.error == nil && after.completedAt == nil)
            #expect(try await engines.queue.job(id: job.id)?.state == .available)
        }
    }
}

/// The jobs API's bodies, as a client reads them.
struct JobBody: Decodable {
    var id: String
    var run_id: String?
    var state: String
}

struct JobListBody: Decodable {
    var jobs: [JobBody]
    var counts: [String: Int]
}

struct CancelBody: Decodable {
    var outcome: String
}
