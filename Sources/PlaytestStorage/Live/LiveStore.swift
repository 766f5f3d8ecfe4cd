import Foundation

/// Hot, shared, short-lived state: run progress, heartbeats, leaderboards, pub/sub fan-out.
///
/// Two implementations pass one conformance suite: `MemoryLiveStore` (embedded default, one
/// process) and `RedisLiveStore` (scale-out, many processes). SQL stays the source of truth;
/// everything here may be lost and rebuilt.
public protocol LiveStore: Sendable {
    /// A human-readable engine name for health reports ("memory", "redis").
    var engineName: String { get }

    /// Round-trips to the engine; throws when it is unreachable.
    func ping() async throws

    /// Releases connections and background work; ends every open subscription.
    func shutdown() async

    // MARK: keys
    func set(_ key: String, _ value: String, ttl: Duration?) async throws
    func get(_ key: String) async throws -> String?
    /// Several strings in one round trip (Redis `MGET`), in the keys' order: nil where a key is missing or holds
    /// something other than a string.
    func get(_ keys: [String]) async throws -> [String?]
    /// Returns how many keys existed.
    @discardableResult func delete(_ keys: [String]) async throws -> Int
    /// Sets a TTL on an existing key; false when the key does not exist.
    @discardableResult func expire(_ key: String, ttl: Duration) async throws -> Bool
    /// Remaining TTL, nil when the key has none or does not exist.
    func ttl(_ key: String) async throws -> Duration?

    // MARK: counters
    @discardableResult func increment(_ key: String, by amount: Int) async throws -> Int

    // MARK: hashes
    func hashSet(_ key: String, _ fields: [String: String]) async throws
    func hashGetAll(_ key: String) async throws -> [String: String]

    // MARK: capped lists (newest first)
    /// Pushes values to the head and trims the list to `cap` entries.
    func listPushCapped(_ key: String, _ values: [String], cap: Int) async throws
    /// Entries from `start` to `stop` inclusive (Redis LRANGE semantics, negative = from the end).
    func listRange(_ key: String, start: Int, stop: Int) async throws -> [String]

    // MARK: batches
    /// Applies every write in order, all or nothing as far as readers see (one round trip on Redis). An invalid
    /// argument throws before anything is applied.
    func write(_ batch: [LiveWrite]) async throws

    // MARK: sorted sets
    func sortedSetAdd(_ key: String, member: String, score: Double) async throws
    @discardableResult func sortedSetIncrement(_ key: String, member: String, by amount: Double) async throws -> Double
    func sortedSetScore(_ key: String, member: String) async throws -> Double?
    /// Members in the set (0 when it does not exist).
    func sortedSetCount(_ key: String) async throws -> Int
    /// 0-based rank; `descending` ranks the highest score first.
    func sortedSetRank(_ key: String, member: String, descending: Bool) async throws -> Int?
    /// Members with scores by rank range (inclusive, negative = from the end).
    func sortedSetRange(_ key: String, start: Int, stop: Int, descending: Bool) async throws -> [ScoredMember]
    /// Members with min <= score <= max, ascending.
    func sortedSetRangeByScore(_ key: String, min: Double, max: Double, limit: Int?) async throws -> [ScoredMember]
    @discardableResult func sortedSetRemove(_ key: String, members: [String]) async throws -> Int

    // MARK: sets
    @discardableResult func setAdd(_ key: String, members: [String]) async throws -> Int
    @discardableResult func setRemove(_ key: String, members: [String]) async throws -> Int
    func setContains(_ key: String, member: String) async throws -> Bool
    func setMembers(_ key: String) async throws -> Set<String>

    // MARK: rate limits
    /// Takes one token from every bucket, or none when any of them is empty: one step, atomic across every process
    /// that shares the store (a request checked against its user's and its address's buckets costs one round trip,
    /// and a refusal by one bucket spends nothing from the other). A new bucket starts full; a bucket expires once it
    /// would be full again. The results are in the order of `buckets`, each saying whether the request was allowed.
    func takeTokens(_ buckets: [TokenBucket]) async throws -> [TokenBucketResult]

    // MARK: pub/sub
    /// Returns the number of subscribers that received the message (as Redis reports it).
    @discardableResult func publish(_ channel: String, _ message: String) async throws -> Int
    /// Messages published on any of `channels` after this call returns. The stream ends when the
    /// consumer stops iterating or cancels; the subscription is then released.
    func subscribe(_ channels: [String]) async throws -> LiveSubscription
}

extension LiveStore {
    /// Takes one token from the bucket `key`, which holds up to `capacity` tokens and refills at `perSecond`.
    public func takeToken(_ key: String, capacity: Int, perSecond: Double) async throws -> TokenBucketResult {
        try await takeTokens([TokenBucket(key: key, capacity: capacity, perSecond: perSecond)])[0]
    }
}

/// A token bucket: holds up to `capacity` tokens and refills at `perSecond`.
public struct TokenBucket: Sendable, Equatable {
    public var key: String
    public var capacity: Int
    public var perSecond: Double

    public init(key: String, capacity: Int, perSecond: Double) {
        self.key = key
        self.capacity = capacity
        self.perSecond = perSecond
    }

    /// Throws `invalidArgument` unless both the capacity and the rate are positive.
    func validate() throws {
        guard capacity > 0, perSecond > 0 else {
            throw LiveStoreError.invalidArgument("a token bucket needs a positive capacity and rate, got \(capacity) and \(perSecond)")
        }
    }
}

/// The outcome of `takeTokens` for one bucket: whether the request may go ahead, and what the `RateLimit-*` headers say.
public struct TokenBucketResult: Sendable, Equatable {
    public var allowed: Bool
    /// The bucket's size.
    public var capacity: Int
    /// Whole tokens left after this request.
    public var remaining: Int
    /// Seconds until the next token, when none is left.
    public var retryAfter: Double
    /// Seconds until the bucket is full again.
    public var resetAfter: Double

    /// The result for a bucket that holds `tokens` after this request was or was not allowed.
    public init(allowed: Bool, tokens: Double, capacity: Int, perSecond: Double) {
        self.allowed = allowed
        self.capacity = capacity
        remaining = max(0, Int(tokens.rounded(.down)))
        retryAfter = tokens >= 1 ? 0 : (1 - tokens) / perSecond
        resetAfter = max(0, Double(capacity) - tokens) / perSecond
    }
}

public struct ScoredMember: Sendable, Hashable {
    public var member: String
    public var score: Double
    public init(member: String, score: Double) {
        self.member = member
        self.score = score
    }
}

public struct LiveMessage: Sendable, Hashable {
    public var channel: String
    public var payload: String
    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// A live subscription; iterate `messages`, call `cancel()` (or drop iteration) to leave.
public struct LiveSubscription: Sendable {
    public let messages: AsyncStream<LiveMessage>
    private let onCancel: @Sendable () async -> Void

    public init(messages: AsyncStream<LiveMessage>, onCancel: @escaping @Sendable () async -> Void) {
        self.messages = messages
        self.onCancel = onCancel
    }

    public func cancel() async { await onCancel() }
}
