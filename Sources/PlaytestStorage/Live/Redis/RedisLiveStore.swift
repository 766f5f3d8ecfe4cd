import Logging
import NIOCore
import RedisClient

/// The scale-out live store: every key and channel lives in Redis, shared by all processes.
///
/// Keys and channels are namespaced with `keyPrefix` (default `playtest:`), so one Redis can
/// serve several deployments or test runs. Pub/sub uses the client's dedicated subscriber
/// connection; local subscribers to the same channel share one Redis subscription.
///
/// When Redis goes away, operations fail fast with `LiveStoreError.unavailable` (and `ping()`
/// says so for health checks); once it is back, the next operation reconnects by itself.
public final class RedisLiveStore: LiveStore {
    public let engineName = "redis"
    public let client: RedisClient
    public let keyPrefix: String
    let subscriberBufferSize: Int

    public init(configuration: RedisConfiguration, keyPrefix: String = "playtest:", logger: Logger = Logger(label: "playtest.live.redis")) {
        self.client = RedisClient(configuration: configuration, logger: logger)
        self.keyPrefix = keyPrefix
        self.subscriberBufferSize = configuration.subscriberBufferSize
    }

    /// Parses `url` (`redis://[user[:password]@]host[:port][/db]`); a malformed URL throws
    /// `RedisConfigurationError`, whose message names the bad part.
    public convenience init(url: String, keyPrefix: String = "playtest:", logger: Logger = Logger(label: "playtest.live.redis")) throws {
        self.init(configuration: try RedisConfiguration(url: url), keyPrefix: keyPrefix, logger: logger)
    }

    public func ping() async throws {
        try await run("") { try await client.ping() }
    }

    public func shutdown() async {
        await client.shutdown()
    }

    func redisKey(_ key: String) -> String { keyPrefix + key }

    /// Runs a Redis call, translating its errors into `LiveStoreError`s about `key`.
    @discardableResult
    func run<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RedisServerError {
            switch error.code {
            case "WRONGTYPE": throw LiveStoreError.wrongType(key: key)
            case "ERR" where error.message.contains("not an integer") || error.message.contains("overflow"):
                throw LiveStoreError.notAnInteger(key: key)
            default: throw LiveStoreError.unavailable(engine: engineName, reason: error.description)
            }
        } catch let error as RedisClientError {
            throw LiveStoreError.unavailable(engine: engineName, reason: error.description)
        }
    }

    // MARK: keys

    public func set(_ key: String, _ value: String, ttl: Duration?) async throws {
        if let ttl, ttl <= .zero { throw LiveStoreError.invalidArgument("TTL for '\(key)' must be positive, got \(ttl)") }
        try await run(key) {
            _ = try await client.set(redisKey(key), value, expiration: ttl.map(RedisExpiration.init))
        }
    }

    public func get(_ key: String) async throws -> String? {
        try await run(key) { try await client.get(redisKey(key)) }
    }

    public func get(_ keys: [String]) async throws -> [String?] {
        try await run(keys.first ?? "") { try await client.get(keys.map(redisKey)) }
    }

    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        try await run(keys.first ?? "") { try await client.delete(Array(Set(keys)).map(redisKey)) }
    }

    @discardableResult
    public func expire(_ key: String, ttl: Duration) async throws -> Bool {
        try await run(key) {
            if ttl <= .zero { return try await client.delete([redisKey(key)]) == 1 }
            return try await client.expire(redisKey(key), after: ttl)
        }
    }

    public func ttl(_ key: String) async throws -> Duration? {
        try await run(key) { try await client.timeToLive(redisKey(key)).duration }
    }

    // MARK: counters

    @discardableResult
    public func increment(_ key: String, by amount: Int) async throws -> Int {
        try await run(key) { try await client.increment(redisKey(key), by: amount) }
    }

    // MARK: hashes

    public func hashSet(_ key: String, _ fields: [String: String]) async throws {
        guard !fields.isEmpty else { return }
        try await run(key) { _ = try await client.hset(redisKey(key), fields) }
    }

    public func hashGetAll(_ key: String) async throws -> [String: String] {
        try await run(key) { try await client.hgetall(redisKey(key)) }
    }

    // MARK: capped lists

    public func listPushCapped(_ key: String, _ values: [String], cap: Int) async throws {
        guard cap > 0 else { throw LiveStoreError.invalidArgument("list cap for '\(key)' must be at least 1, got \(cap)") }
        guard !values.isEmpty else { return }
        let name = redisKey(key)
        // One round trip, atomic: nobody sees the list longer than `cap`.
        _ = try await run(key) {
            try await client.transaction([
                RESPCommand("LPUSH", [name] + values),
                RESPCommand("LTRIM", name, "0", String(cap - 1)),
            ])
        }
    }

    public func listRange(_ key: String, start: Int, stop: Int) async throws -> [String] {
        try await run(key) { try await client.lrange(redisKey(key), start: start, stop: stop) }
    }
}
