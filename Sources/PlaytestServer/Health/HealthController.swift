import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// `GET /api/v1/health`, in seed 001's vocabulary (`status` healthy|unhealthy; `database`, `redis`, `storage`;
/// `workers {count, status}`; `version`, `timestamp`) with every engine's details under `engines`, the workers seen
/// by heartbeat and the agent runtime. 200 when everything this instance depends on is healthy, 503 otherwise.
struct HealthController: RouteCollection {
    let health: SystemHealth
    let agentRuntime: AgentRuntimeProbe
    /// Workers this process runs itself; when > 0 a live worker and the agent runtime are required.
    let embeddedWorkers: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.open).get("health", use: check)
        routes.access(.open).get("health", "live", use: live)
        routes.access(.open).get("health", "ready", use: ready)
    }

    /// `GET /api/v1/health/ready`: 200 while this instance's database answers, 503 when it does not. A readiness probe:
    /// `/health` is 503 also for a Redis or S3 outage, which the API survives (degraded), and every instance shares
    /// them, so a load balancer reading `/health` would take all of them out of rotation at once.
    func ready(_ request: Request) async throws -> Response {
        let database = await health.ready()
        var report = ["status": database.ok ? "ready" : "not ready", "database": HealthReport.word(database, ok: "connected")]
        if request.principal?.role != .admin, !database.ok { report["database"] = "error" }  // the engine's words: admins only
        return try JSONBody.response(report, status: database.ok ? .ok : .serviceUnavailable).notCached()
    }

    /// `GET /api/v1/health/live`: 200 while this process answers HTTP, whatever its engines say. A liveness probe: a
    /// database outage makes `/health` 503 (take the instance out of rotation) but is no reason to restart it.
    func live(_ request: Request) async throws -> Response {
        try JSONBody.response(["status": "alive", "version": PlaytestVersion.current]).notCached()
    }

    func check(_ request: Request) async throws -> Response {
        async let checked = health.check()
        async let runtime = agentRuntime.report()
        var report = HealthReport(await checked, agentRuntime: await runtime, embeddedWorkers: embeddedWorkers)
        if request.principal?.role != .admin { report.redact() }
        return try JSONBody.response(report, status: report.isHealthy ? .ok : .serviceUnavailable).notCached()
    }
}

/// The body of `GET /health`.
struct HealthReport: Encodable {
    struct Engine: Encodable {
        var engine: String
        var ok: Bool
        var latencyMs: Double
        var error: String?

        init(_ check: SystemHealth.EngineCheck) {
            engine = check.engine
            ok = check.ok
            latencyMs = check.latencyMilliseconds
            error = check.error
        }

        enum CodingKeys: String, CodingKey {
            case engine, ok, error
            case latencyMs = "latency_ms"
        }
    }

    struct Engines: Encodable {
        var database: Engine
        var liveStore: Engine
        var blobStore: Engine

        enum CodingKeys: String, CodingKey {
            case database
            case liveStore = "live_store"
            case blobStore = "blob_store"
        }
    }

    struct Worker: Encodable {
        var id: String
        var hostname: String
        var pid: Int
        var heartbeatAgeSeconds: Double
        var runningJobs: [String]

        enum CodingKeys: String, CodingKey {
            case id, hostname, pid
            case heartbeatAgeSeconds = "heartbeat_age_seconds"
            case runningJobs = "running_jobs"
        }
    }

    /// Seed 001's `workers {count, status}`, with whether this instance is satisfied and who the workers are.
    struct Workers: Encodable {
        var count: Int
        /// `active`, or `no workers`.
        var status: String
        var ok: Bool
        var embedded: Int
        var workers: [Worker]?
        var error: String?
    }

    /// `healthy` or `unhealthy`.
    var status: String
    var version: String
    var timestamp: Date
    /// `connected`, or `error: …`.
    var database: String
    /// The live store: `connected` (Redis), `in memory` (the embedded default), or `error: …`.
    var redis: String
    /// The blob store: `accessible`, or `error: …`.
    var storage: String
    var workers: Workers
    /// Admins only, as are the workers' identities and the engines' error texts.
    var engines: Engines?
    var agentRuntime: AgentRuntimeProbe.Report?

    var isHealthy: Bool { status == "healthy" }

    init(_ report: SystemHealth.Report, agentRuntime: AgentRuntimeProbe.Report, embeddedWorkers: Int) {
        let alive = report.workers.alive
        let workersOK = report.workers.error == nil && (embeddedWorkers == 0 || !alive.isEmpty)
        var healthy = report.database.ok && report.liveStore.ok && report.blobStore.ok && workersOK
        if embeddedWorkers > 0 { healthy = healthy && agentRuntime.ok }
        status = healthy ? "healthy" : "unhealthy"
        version = PlaytestVersion.current
        timestamp = report.timestamp
        database = Self.word(report.database, ok: "connected")
        redis = Self.word(report.liveStore, ok: report.liveStore.engine == "redis" ? "connected" : "in memory")
        storage = Self.word(report.blobStore, ok: "accessible")
        workers = Workers(
            count: alive.count, status: alive.isEmpty ? "no workers" : "active", ok: workersOK, embedded: embeddedWorkers,
            workers: alive.map {
                Worker(id: $0.id, hostname: $0.hostname, pid: $0.pid, heartbeatAgeSeconds: $0.heartbeatAgeSeconds, runningJobs: $0.runningJobs)
            },
            error: report.workers.error
                ?? (workersOK ? nil : "no worker has sent a heartbeat in the last \(SystemHealth.aliveWindowSeconds) s"))
        engines = Engines(database: Engine(report.database), liveStore: Engine(report.liveStore), blobStore: Engine(report.blobStore))
        self.agentRuntime = agentRuntime
    }

    /// What anyone may see: the verdict and each engine's one word, no addresses, errors, hosts or versions of parts.
    mutating func redact() {
        engines = nil
        agentRuntime = nil
        workers.workers = nil
        workers.error = workers.error.map { _ in "see the admin's health report" }
        for path in [\HealthReport.database, \.redis, \.storage] where self[keyPath: path].hasPrefix("error") { self[keyPath: path] = "error" }
    }

    static func word(_ check: SystemHealth.EngineCheck, ok: String) -> String {
        check.ok ? ok : "error: \(check.error ?? "no answer")"
    }

    enum CodingKeys: String, CodingKey {
        case status, version, timestamp, database, redis, storage, workers, engines
        case agentRuntime = "agent_runtime"
    }
}
