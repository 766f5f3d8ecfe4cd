import Foundation
import Logging
import PlaytestCore
import PlaytestStorage
import Synchronization

/// Analysis answers kept in the live store (Redis in scale-out) for `lifetime`. Every key carries the analysis
/// generation, which a finished run or a deleted map moves on: what was cached before is then never read again and
/// lapses with its TTL. Hits and misses are counted for `/metrics`.
public final class AnalysisCache: Sendable {
    public static let lifetime: Duration = .seconds(300)
    let live: any LiveStore
    let logger: Logger
    let counts = Mutex((hits: 0, misses: 0))

    init(live: any LiveStore, logger: Logger) {
        self.live = live
        self.logger = logger
    }

    /// Hits and misses since the process started.
    public var hitsAndMisses: (hits: Int, misses: Int) { counts.withLock { $0 } }

    func cached<Value: Codable & Sendable>(_ key: String, _ make: () async throws -> Value) async throws -> Value {
        let stored: String?
        let fullKey: String
        do {
            fullKey = "analysis:\(try await AnalysisGeneration(live: live).current()):\(key)"
            stored = try await live.get(fullKey)
        } catch {
            logger.warning("analysis cache unavailable: \(error)")
            return try await make()
        }
        if let stored, let value = try? PlaytestJSON.decode(Value.self, from: stored) {
            counts.withLock { $0.hits += 1 }
            return value
        }
        counts.withLock { $0.misses += 1 }
        let value = try await make()
        do {
            try await live.set(fullKey, try PlaytestJSON.string(value), ttl: Self.lifetime)
        } catch {
            logger.warning("analysis cache not written: \(error)")
        }
        return value
    }
}

/// The analysis generation in the live store: moved on whenever what the analyses read changes.
struct AnalysisGeneration: Sendable {
    let live: any LiveStore
    static let key = "analysis:generation"

    func current() async throws -> Int {
        try await live.get(Self.key).flatMap(Int.init) ?? 0
    }

    /// After a run finished or a map was deleted. A failure only means cached analyses live out their TTL.
    func advance() async {
        _ = try? await live.increment(Self.key, by: 1)
    }
}
