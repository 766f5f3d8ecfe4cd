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

    /// The answer stored under `key`, or `make`'s, stored for next time. Kept as JSON text: a hit is answered
    /// without decoding and encoding it again.
    func cached<Value: Codable & Sendable>(_ key: String, _ make: () async throws -> Value) async throws -> Cached<Value> {
        let stored: String?
        let fullKey: String
        do {
            fullKey = "analysis:\(try await AnalysisGeneration(live: live).current()):\(key)"
            stored = try await live.get(fullKey)
        } catch {
            logger.warning("analysis cache unavailable: \(error)")
            return Cached(json: try PlaytestJSON.string(try await make()))
        }
        if let stored {
            counts.withLock { $0.hits += 1 }
            return Cached(json: stored)
        }
        counts.withLock { $0.misses += 1 }
        let json = try PlaytestJSON.string(try await make())
        do {
            try await live.set(fullKey, json, ttl: Self.lifetime)
        } catch {
            logger.warning("analysis cache not written: \(error)")
        }
        return Cached(json: json)
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

/// An analysis answer as the JSON the API sends; pages decode it.
public struct Cached<Value: Codable & Sendable>: Sendable {
    public let json: String

    public func value() throws -> Value { try PlaytestJSON.decode(Value.self, from: json) }
}
