/// One write of a ``LiveStore/write(_:)`` batch. A batch goes to Redis as one MULTI/EXEC pipeline (one round trip,
/// applied whole), and to the memory store under its one lock, so a reader never sees half of it.
public enum LiveWrite: Sendable, Hashable {
    case set(_ key: String, _ value: String)
    case increment(_ key: String, by: Int)
    case hashSet(_ key: String, _ fields: [String: String])
    /// Sets the field only when the hash lacks it (Redis `HSETNX`).
    case hashSetIfAbsent(_ key: String, field: String, value: String)
    case setAdd(_ key: String, _ members: [String])
    case delete(_ key: String)
    /// Pushes to the head (newest first) and keeps the newest `cap` entries.
    case listPushCapped(_ key: String, _ values: [String], cap: Int)
    case sortedSetAdd(_ key: String, _ members: [ScoredMember], when: ScoreCondition)
    case sortedSetIncrement(_ key: String, member: String, by: Double)
    /// Keeps the `count` highest-scored members (Redis `ZREMRANGEBYRANK key 0 -(count+1)`).
    case sortedSetKeepHighest(_ key: String, count: Int)
    case expire(_ key: String, ttl: Duration)

    /// The key this write changes.
    public var key: String {
        switch self {
        case .set(let key, _), .increment(let key, _), .hashSet(let key, _), .hashSetIfAbsent(let key, _, _), .setAdd(let key, _),
             .delete(let key), .listPushCapped(let key, _, _),
             .sortedSetAdd(let key, _, _), .sortedSetIncrement(let key, _, _), .sortedSetKeepHighest(let key, _), .expire(let key, _):
            key
        }
    }

    /// Throws on an argument neither engine accepts, before anything of the batch is applied.
    func validate() throws {
        switch self {
        case .listPushCapped(let key, _, let cap) where cap < 1:
            throw LiveStoreError.invalidArgument("list cap for '\(key)' must be at least 1, got \(cap)")
        case .sortedSetAdd(_, let members, _) where members.contains { $0.score.isNaN }:
            throw LiveStoreError.invalidArgument("a score for '\(key)' is not a number")
        case .sortedSetIncrement(_, _, let amount) where !amount.isFinite:
            throw LiveStoreError.invalidArgument("increment for '\(key)' is not a finite number")
        case .sortedSetKeepHighest(_, let count) where count < 1:
            throw LiveStoreError.invalidArgument("sorted set '\(key)' must keep at least 1 member, got \(count)")
        case .expire(_, let ttl) where ttl <= .zero:
            throw LiveStoreError.invalidArgument("TTL for '\(key)' must be positive, got \(ttl)")
        default:
            break
        }
    }
}

/// When a sorted-set add changes an existing member's score (Redis `ZADD` flags).
public enum ScoreCondition: Sendable, Hashable {
    /// Always (plain `ZADD`).
    case always
    /// Only to a greater score (`ZADD GT`): a "best, higher wins" record.
    case greater
    /// Only to a lower score (`ZADD LT`): a "best, lower wins" record.
    case less

    /// Whether `new` replaces `old` (a new member is always added).
    func replaces(_ old: Double?, with new: Double) -> Bool {
        guard let old else { return true }
        switch self {
        case .always: return true
        case .greater: return new > old
        case .less: return new < old
        }
    }
}
