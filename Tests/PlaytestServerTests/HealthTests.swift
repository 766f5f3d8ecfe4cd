import Foundation
@testable import PlaytestServer
import PlaytestStorage
import PlaytestWorker
import Testing
import VaporTesting

@Suite("Health, errors and metrics", .serialized)
struct HealthTests {
    struct Health: Decodable {
        struct Engine: Decodable {
            var engine: String
            var ok: Bool
            var error: String?
        }
        struct Workers: Decodable {
            var ok: Bool
            var alive: Int
        }
        struct Runtime: Decodable {
            var ok: Bool
            var venv_present: Bool
            var vizdoom: String?
            var torch: String?
        }
        var status: String
        var database: Engine
        var live_store: Engine
        var blob_store: Engine
        var workers: Workers
        var agent_runtime: Runtime
    }

    @Test("reports every engine and answers 200 when they are healthy")
    func healthy() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .ok)
                let health = try response.content.decode(Health.self)
                #expect(health.status == "ok")
                #expect(health.database.engine == "sqlite" && health.database.ok)
                #expect(health.live_store.engine == "memory" && health.live_store.ok)
                #expect(health.blob_store.engine == "folder" && health.blob_store.ok)
            }
        }
    }

    @Test(
        "with embedded workers it needs a live worker and the agent runtime",
        .enabled(if: FileManager.default.isExecutableFile(atPath: repositoryRoot.appendingPathComponent(".venv/bin/python").path), "no .venv: run `make venv`"))
    func embeddedWorker() async throws {
        try await withPlaytestApp(embeddedWorkers: 1) { app, engines in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .serviceUnavailable, "no worker has heartbeated yet")
                let decoded = try response.content.decode(Health.self)
                #expect(decoded.workers.alive == 0)
            }
            let pool = WorkerPool(queue: engines.queue, registry: engines.workers, handlers: [], options: .init(), logger: app.logger)
            let running = Task { await pool.run() }
            defer { pool.shutdown() }
            var alive = 0
            for _ in 0..<100 where alive == 0 {
                alive = try await engines.workers.alive().count
                if alive == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            // The agent runtime probe starts Python in the background; poll until it has answered.
            var health: Health?
            var status: HTTPStatus = .serviceUnavailable
            for _ in 0..<150 where status != .ok {
                try await app.testing().test(.GET, "api/v1/health") { response in
                    status = response.status
                    health = try response.content.decode(Health.self)
                }
                if status != .ok { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(status == .ok)
            #expect(health?.workers.alive == 1)
            #expect(health?.agent_runtime.ok == true && health?.agent_runtime.vizdoom != nil && health?.agent_runtime.torch != nil)
            pool.shutdown()
            await running.value
        }
    }

    @Test(
        "a Redis that goes away turns health 503 while the rest keeps serving, and is used again when back",
        .enabled(if: RedisServerProcess.executable != nil, "redis-server is not installed"))
    func redisOutage() async throws {
        let redis = try RedisServerProcess()
        try await withPlaytestApp(live: .redis(url: redis.url)) { app, _ in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .ok)
                let decoded = try response.content.decode(Health.self)
                #expect(decoded.live_store.engine == "redis")
            }
            redis.stop()
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .serviceUnavailable)
                let health = try response.content.decode(Health.self)
                #expect(!health.live_store.ok && health.live_store.error != nil)
                #expect(health.database.ok && health.blob_store.ok)
            }
            try await app.testing().test(.GET, "metrics") { response in
                #expect(response.status == .ok, "what does not need Redis keeps working")
            }
            try redis.start()
            var status: HTTPStatus = .serviceUnavailable
            for _ in 0..<300 where status != .ok {
                try await app.testing().test(.GET, "api/v1/health") { status = $0.status }
                if status != .ok { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == .ok, "Redis is used again without a restart")
        }
    }

    @Test("unknown routes get a JSON 404 with a request id")
    func notFound() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "api/v1/nope") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .json)
                let body = try response.content.decode(ErrorEnvelope.self)
                #expect(body.error.code == "not_found")
                #expect(!(response.headers.first(name: "X-Request-Id") ?? "").isEmpty)
            }
            try await app.testing().test(.POST, "api/v1/health", headers: ["X-Request-Id": "trace-123"]) { response in
                #expect(response.status.code >= 400)
                let decoded = try response.content.decode(ErrorEnvelope.self)
                #expect(decoded.error.message.isEmpty == false)
                #expect(response.headers.first(name: "X-Request-Id") == "trace-123")
            }
        }
    }

    @Test("/metrics serves Prometheus text with request and queue metrics")
    func metrics() async throws {
        try await withPlaytestApp { app, engines in
            try await engines.queue.enqueue(NewJob(kind: "probe"))
            try await app.testing().test(.GET, "api/v1/health") { _ in }
            try await app.testing().test(.GET, "metrics") { response in
                #expect(response.status == .ok)
                let text = response.body.string
                #expect(text.contains(#"playtest_http_requests_total{method="GET",route="/api/v1/health",status="200"} 1"#))
                #expect(text.contains("playtest_http_request_duration_seconds_bucket"))
                #expect(text.contains(#"playtest_queue_jobs_count{state="available"} 1"#))
                #expect(text.contains("playtest_workers_alive_count 0"))
            }
        }
    }
}
