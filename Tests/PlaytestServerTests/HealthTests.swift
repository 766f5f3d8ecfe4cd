import Foundation
@testable import PlaytestServer
import PlaytestCore
import PlaytestStorage
import PlaytestTestSupport
import PlaytestWorker
import Testing
import VaporTesting

@Suite("Health, errors and metrics", .serialized)
struct HealthTests {
    /// Seed 001's words, with today's details under `engines`.
    struct Health: Decodable {
        struct Engine: Decodable {
            var engine: String
            var ok: Bool
            var error: String?
        }
        struct Engines: Decodable {
            var database: Engine
            var live_store: Engine
            var blob_store: Engine
        }
        struct Workers: Decodable {
            var count: Int
            var status: String
            var ok: Bool
        }
        struct Runtime: Decodable {
            var ok: Bool
            var venv_present: Bool
            var vizdoom: String?
            var torch: String?
        }
        var status: String
        var version: String
        var timestamp: String
        var database: String
        var redis: String
        var storage: String
        var workers: Workers
        var engines: Engines
        var agent_runtime: Runtime
    }

    @Test("reports every engine and answers 200 when they are healthy")
    func healthy() async throws {
        try await withPlaytestApp { app, _ in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .ok)
                let health = try response.content.decode(Health.self)
                #expect(health.status == "healthy")
                #expect(health.database == "connected" && health.redis == "in memory" && health.storage == "accessible")
                #expect(health.workers.count == 0 && health.workers.status == "no workers" && health.workers.ok)
                #expect(JSONTimestamp.parse(health.timestamp) != nil)
                #expect(health.engines.database.engine == "sqlite" && health.engines.database.ok)
                #expect(health.engines.live_store.engine == "memory" && health.engines.live_store.ok)
                #expect(health.engines.blob_store.engine == "folder" && health.engines.blob_store.ok)
            }
        }
    }

    @Test(
        "with embedded workers it needs a live worker and the agent runtime",
        .enabled(if: FileManager.default.isExecutableFile(atPath: Repository.python), "no .venv: run `make venv`"))
    func embeddedWorker() async throws {
        try await withPlaytestApp(embeddedWorkers: 1) { app, engines in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .serviceUnavailable, "no worker has heartbeated yet")
                let decoded = try response.content.decode(Health.self)
                #expect(decoded.status == "unhealthy" && decoded.workers.count == 0 && !decoded.workers.ok)
            }
            try await app.testing().test(.GET, "api/v1/health/live") { response in
                #expect(response.status == .ok, "unhealthy is not dead: liveness does not restart it")
                #expect(response.body.string.contains(#""status":"alive""#))
            }
            try await app.testing().test(.GET, "api/v1/health/ready") { response in
                #expect(response.status == .ok, "its database answers: ready to serve the API while no worker runs")
            }
            let pool = WorkerPool(queue: engines.queue, registry: engines.workers, handlers: [], options: .init(), logger: app.logger)
            let running = Task { await pool.run() }
            defer { pool.shutdown() }
            try await Deadline.wait("the worker's first heartbeat") { try await !engines.workers.alive().isEmpty }
            // The agent runtime probe starts Python in the background; poll until it has answered.
            let health = try await Deadline.value("health to turn 200") { () async throws -> Health? in
                var answer: Health?
                try await app.testing().test(.GET, "api/v1/health") { response in
                    if response.status == .ok { answer = try response.content.decode(Health.self) }
                }
                return answer
            }
            #expect(health.status == "healthy")
            #expect(health.workers.count == 1 && health.workers.status == "active")
            #expect(health.agent_runtime.ok && health.agent_runtime.vizdoom != nil && health.agent_runtime.torch != nil)
            pool.shutdown()
            await running.value
        }
    }

    @Test(
        "a Redis that goes away turns health 503 while the instance stays ready and the rest keeps serving, and is used again when back",
        .enabled(if: RedisServer.isAvailable, "redis-server is not installed"))
    func redisOutage() async throws {
        let redis = try await RedisServer.started()
        try await withPlaytestApp(live: .redis(url: redis.url)) { app, _ in
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .ok)
                let decoded = try response.content.decode(Health.self)
                #expect(decoded.engines.live_store.engine == "redis" && decoded.redis == "connected")
            }
            await redis.stop()
            try await app.testing().test(.GET, "api/v1/health") { response in
                #expect(response.status == .serviceUnavailable)
                let health = try response.content.decode(Health.self)
                #expect(health.status == "unhealthy" && health.redis.hasPrefix("error: "))
                #expect(!health.engines.live_store.ok && health.engines.live_store.error != nil)
                #expect(health.engines.database.ok && health.engines.blob_store.ok)
            }
            try await app.testing().test(.GET, "api/v1/health/ready") { response in
                #expect(response.status == .ok, "the API works without its hot state: stay in rotation")
                #expect(response.body.string.contains(#""status":"ready""#) && response.body.string.contains(#""database":"connected""#))
            }
            try await app.testing().test(.GET, "metrics") { response in
                #expect(response.status == .ok, "what does not need Redis keeps working")
            }
            try await redis.start()
            // Redis is used again without a restart.
            try await Deadline.wait("health to turn 200 again") {
                var status: HTTPStatus = .serviceUnavailable
                try await app.testing().test(.GET, "api/v1/health") { status = $0.status }
                return status == .ok
            }
        }
    }

    @Test("an engine outage is a 503 with Retry-After, not a 500")
    func outageIs503() async throws {
        try await withPlaytestApp { app, _ in
            let request = Request(application: app, on: app.eventLoopGroup.any())
            let response = JSONErrorMiddleware.response(for: BlobError.unavailable("S3 did not answer"), request: request)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers.first(name: "Retry-After") == "10")
            #expect(response.body.string?.contains("service_unavailable") == true)
            let fault = JSONErrorMiddleware.response(for: BlobError.engine("S3 refused (HTTP 403)"), request: request)
            #expect(fault.status == .internalServerError, "a misconfiguration is no outage")
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
