import Foundation
import Logging
import PlaytestCore
import PlaytestStorage
import Synchronization

/// Analysis answers kept in the live store (Redis in scale-out) for `lifetime`. Each answer is stored with the
/// generations it was computed at (`AnalysisGeneration`): the platform's for an answer that reads every map, each
/// map's own for one that reads only some. A finished run or a deleted map moves its map's generation and the
/// platform's on, so an answer stamped before no longer matches and is computed again. A read is one round trip
/// (the generations and the answer in one `MGET`). Hits and misses are counted for `/metrics`.
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

    /// The answer stored under `key`, or `make`'s, stored for next time. `maps`: the map ids the answer reads (nil:
    /// any map). Kept as JSON text behind its stamp: a hit is answered without decoding and encoding it again.
    func cached<Value: Codable & Sendable>(_ key: String, maps: [String]?, _ make: () async throws -> Value) async throws -> Cached<Value> {
        let generations = maps.map { $0.map(AnalysisGeneration.key(map:)) } ?? [AnalysisGeneration.platform]
        let entryKey = "analysis:" + key
        let stamp: String
        do {
            let found = try await live.get(generations + [entryKey])
            stamp = found.dropLast().map { $0 ?? "0" }.joined(separator: ",")
            if let stored = found.last ?? nil, let newline = stored.firstIndex(of: "\n"), stored[..<newline] == stamp {
                counts.withLock { $0.hits += 1 }
                return Cached(json: String(stored[stored.index(after: newline)...]))
            }
        } catch {
            logger.warning("analysis cache unavailable: \(error)")
            return Cached(json: try PlaytestJSON.string(try await make()))
        }
        counts.withLock { $0.misses += 1 }
        // Stamped with the generations read before computing: a run that finishes meanwhile leaves it stale, never
        // wrongly fresh.
        let json = try PlaytestJSON.string(try await make())
        do {
            try await live.set(entryKey, stamp + "\n" + json, ttl: Self.lifetime)
        } catch {
            logger.warning("analysis cache not written: \(error)")
        }
        return Cached(json: json)
    }
}

/// The analysis generations in the live store: the platform's, and one per map, moved on whenever what the analyses
/// of that map read changes.
struct AnalysisGeneration: Sendable {
    let live: any LiveStore
    static let platform = "analysis:generation"

    static func key(map id: String) -> String { "analysis:generation:\(id.lowercased())" }

    /// After a run of the map finished or the map was deleted. A failure only means cached analyses live out their TTL.
    func advance(map id: String) async {
        _ = try? await live.write([.increment(Self.platform, by: 1), .increment(Self.key(map: id), by: 1)])
    }
}

/// An analysis answer as the JSON the API sends; pages decode it.
public struct Cached<Value: Codable & Sendable>: Sendable {
    public let json: String

    public func value() throws -> Value { try PlaytestJSON.decode(Value.self, from: json) }
}
