import Foundation
import Metrics

/// `playtest_engine_duration_seconds{engine, operation}`: how long each engine takes to answer, recorded through
/// swift-metrics (a no-op until a process bootstraps it; `serve` and `worker` do, into their Prometheus registry).
enum EngineLatency {
    static let label = "playtest_engine_duration_seconds"

    static func record(_ engine: String, _ operation: String, since start: ContinuousClock.Instant) {
        Timer(label: label, dimensions: [("engine", engine), ("operation", operation)]).record(duration: ContinuousClock.now - start)
    }

    static func measure<T>(_ engine: String, _ operation: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { record(engine, operation, since: start) }
        return try await body()
    }
}
