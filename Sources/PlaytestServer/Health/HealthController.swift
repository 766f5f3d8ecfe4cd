import Foundation
import NIOConcurrencyHelpers
import PlaytestCore
import PlaytestStorage
import Vapor

/// `GET /api/v1/health`: each engine, the workers seen by heartbeat and the agent runtime.
/// 200 when everything this instance depends on is healthy, 503 otherwise, with details either way.
struct HealthController: RouteCollection {
    let engines: PlaytestEngines
    let agentRuntime: AgentRuntimeProbe
    /// Workers this process runs itself; when > 0 a live worker and the agent runtime are required.
    let embeddedWorkers: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
    }

    struct EngineReport: Content {
        var engine: String
        var ok: Bool
        var latencyMs: Double
        var error: String?

        enum CodingKeys: String, CodingKey {
            case engine, ok, error
            case latencyMs = "latency_ms"
        }
    }

    struct WorkerReport: Content {
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

    struct WorkersReport: Content {
        var ok: Bool
        var alive: Int
        var embedded: Int
        var workers: [WorkerReport]
        var error: String?
    }

    struct Report: Content {
        var status: String
        var version: String
        var database: EngineReport
        var liveStore: EngineReport
        var blobStore: EngineReport
        var workers: WorkersReport
        var agentRuntime: AgentRuntimeProbe.Report

        enum CodingKeys: String, CodingKey {
            case status, version, database, workers
            case liveStore = "live_store"
            case blobStore = "blob_store"
            case agentRuntime = "agent_runtime"
        }
    }

    func health(_ request: Request) async throws -> Response {
        async let database = check(engines.sql.dialect.rawValue) { try await engines.sql.ping() }
        async let live = check(engines.live.engineName) { try await engines.live.ping() }
        async let blobs = check(engines.blobs.engineName) { try await engines.blobs.ping() }
        async let workers = workersReport()
        async let runtime = agentRuntime.report()
        let report = await Report(
            status: "ok", version: PlaytestVersion.current, database: database, liveStore: live, blobStore: blobs,
            workers: workers, agentRuntime: runtime)
        var healthy = report.database.ok && report.liveStore.ok && report.blobStore.ok && report.workers.ok
        if embeddedWorkers > 0 { healthy = healthy && report.agentRuntime.ok }
        var final = report
        final.status = healthy ? "ok" : "degraded"
        let response = Response(status: healthy ? .ok : .serviceUnavailable)
        try response.content.encode(final, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private func workersReport() async -> WorkersReport {
        do {
            let now = SystemJobClock().nowMilliseconds()
            let alive = try await withTimeout { try await engines.workers.alive() }
            let workers = alive.map {
                WorkerReport(
                    id: $0.id, hostname: $0.hostname, pid: $0.pid,
                    heartbeatAgeSeconds: Double(max(0, now - $0.heartbeatAt)) / 1000, runningJobs: $0.runningJobIDs)
            }
            let ok = embeddedWorkers == 0 || !workers.isEmpty
            return WorkersReport(
                ok: ok, alive: workers.count, embedded: embeddedWorkers, workers: workers,
                error: ok ? nil : "no worker has sent a heartbeat in the last \(WorkerRegistry.aliveWindowMilliseconds / 1000) s")
        } catch {
            return WorkersReport(ok: false, alive: 0, embedded: embeddedWorkers, workers: [], error: "\(error)")
        }
    }

    private func check(_ engine: String, _ probe: @escaping @Sendable () async throws -> Void) async -> EngineReport {
        let started = ContinuousClock.now
        do {
            try await withTimeout(.seconds(2), probe)
            return EngineReport(engine: engine, ok: true, latencyMs: (ContinuousClock.now - started).milliseconds)
        } catch {
            return EngineReport(engine: engine, ok: false, latencyMs: (ContinuousClock.now - started).milliseconds, error: "\(error)")
        }
    }
}

struct HealthTimeout: Error, CustomStringConvertible {
    var description: String { "no answer within 2 s" }
}

/// Runs `body`, giving up after `limit` so one dead engine cannot hang the health check. A body
/// that ignores cancellation is abandoned rather than awaited.
func withTimeout<T: Sendable>(_ limit: Duration = .seconds(2), _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    return try await withCheckedThrowingContinuation { continuation in
        outcome.withLockedValue { $0 = continuation }
        let finish: @Sendable (Result<T, any Error>) -> Void = { result in
            outcome.withLockedValue { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
        let work = Task { finish(await Result(catching: body)) }
        Task {
            try? await Task.sleep(for: limit)
            finish(.failure(HealthTimeout()))
            work.cancel()
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
