import Foundation
import PlaytestCore
import PlaytestStorage

/// Each engine's health and the workers seen by heartbeat: what `GET /health` reports. Each probe gives up after
/// 2 s, so a dead engine cannot hang the check.
public struct SystemHealth: Sendable {
    let engines: PlaytestEngines
    let queue: QueueOverview

    public init(engines: PlaytestEngines, queue: QueueOverview) {
        self.engines = engines
        self.queue = queue
    }

    public struct EngineCheck: Sendable, Hashable {
        /// `sqlite`, `postgres`, `memory`, `redis`, `folder`, `s3`.
        public var engine: String
        public var ok: Bool
        public var latencyMilliseconds: Double
        public var error: String?
    }

    public struct WorkersCheck: Sendable {
        public var alive: [WorkerView]
        /// nil when the registry could not be read.
        public var error: String?
    }

    public struct Report: Sendable {
        public var database: EngineCheck
        public var liveStore: EngineCheck
        public var blobStore: EngineCheck
        public var workers: WorkersCheck
        public var timestamp: Date
    }

    /// Whether this instance can serve: its database answers. Redis is hot state the API works without, and an S3
    /// outage fails only what touches files (with 503 and Retry-After); neither is a reason to take an instance out
    /// of a load balancer, which would turn every request into an error.
    public func ready() async -> EngineCheck {
        let engines = self.engines
        return await Self.check(engines.sql.dialect.rawValue) { try await engines.sql.ping() }
    }

    public func check() async -> Report {
        let engines = self.engines
        let queue = self.queue
        async let database = Self.check(engines.sql.dialect.rawValue) { try await engines.sql.ping() }
        async let live = Self.check(engines.live.engineName) { try await engines.live.ping() }
        async let blobs = Self.check(engines.blobs.engineName) { try await engines.blobs.ping() }
        async let workers: WorkersCheck = {
            do {
                return WorkersCheck(alive: try await withTimeout { try await queue.aliveWorkers() }, error: nil)
            } catch {
                return WorkersCheck(alive: [], error: DatabaseError.describe(error))
            }
        }()
        return await Report(database: database, liveStore: live, blobStore: blobs, workers: workers, timestamp: Date())
    }

    /// How long a worker may go without a heartbeat and still count as alive.
    public static let aliveWindowSeconds = Int(WorkerRegistry.aliveWindowMilliseconds / 1000)

    static func check(_ engine: String, _ probe: @escaping @Sendable () async throws -> Void) async -> EngineCheck {
        let started = ContinuousClock.now
        do {
            try await withTimeout(.seconds(2), probe)
            return EngineCheck(engine: engine, ok: true, latencyMilliseconds: (ContinuousClock.now - started).milliseconds)
        } catch {
            return EngineCheck(
                engine: engine, ok: false, latencyMilliseconds: (ContinuousClock.now - started).milliseconds,
                error: DatabaseError.describe(error))
        }
    }
}

public struct HealthTimeout: Error, CustomStringConvertible {
    public var description: String { "no answer within 2 s" }
}

/// Runs `body`, giving up after `limit` so one dead engine cannot hang the health check. A body that ignores
/// cancellation is abandoned rather than awaited.
public func withTimeout<T: Sendable>(_ limit: Duration = .seconds(2), _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = FirstOutcome<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.wait(with: continuation)
        let work = Task { outcome.finish(await Result(catching: { try await body() })) }
        Task {
            try? await Task.sleep(for: limit)
            outcome.finish(.failure(HealthTimeout()))
            work.cancel()
        }
    }
}

/// Resumes a continuation with whichever result comes first.
private final class FirstOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func wait(with continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func finish(_ result: Result<T, any Error>) {
        let pending = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(with: result)
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
