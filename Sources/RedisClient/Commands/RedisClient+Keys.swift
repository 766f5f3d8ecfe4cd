/// When a key set with `set` expires.
public enum RedisExpiration: Sendable, Hashable {
    case seconds(Int)
    case milliseconds(Int)

    /// Millisecond precision, rounded up so a tiny positive duration never means "no TTL".
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        self = .milliseconds(Int(max(millis, 1)))
    }
}

/// `SET` conditions: always, only when absent (`NX`) or only when present (`XX`).
public enum RedisSetCondition: Sendable, Hashable {
    case always
    case ifNotExists
    case ifExists
}

/// What `PTTL` says about a key.
public enum RedisTimeToLive: Sendable, Hashable {
    case keyMissing
    case noExpiry
    case expiresIn(Duration)

    public var duration: Duration? {
        if case .expiresIn(let duration) = self { return duration }
        return nil
    }
}

extension RedisClient {
    public func ping() async throws {
        let reply = try await call("PING", [])
        guard reply.string == "PONG" else {
            throw RedisClientError.unexpectedReply(command: "PING", reply: "\(reply)")
        }
    }

    public func get(_ key: String) async throws -> String? {
        try await call("GET", [key]).decodeOptionalString("GET")
    }

    /// `MGET`: each key's string, nil where it is missing or holds something else.
    public func get(_ keys: [String]) async throws -> [String?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await call("MGET", keys)
        return try reply.decode("MGET") { value in
            value.array.map { $0.map { $0.isNull ? nil : $0.string } }
        }
    }

    /// Returns false when a condition (`NX`/`XX`) kept the value from being set.
    @discardableResult
    public func set(
        _ key: String,
        _ value: String,
        expiration: RedisExpiration? = nil,
        condition: RedisSetCondition = .always
    ) async throws -> Bool {
        var arguments = [key, value]
        switch expiration {
        case .seconds(let seconds): arguments += ["EX", String(seconds)]
        case .milliseconds(let millis): arguments += ["PX", String(millis)]
        case nil: break
        }
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        return try await !call("SET", arguments).isNull
    }

    /// Returns how many of the keys existed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await call("DEL", keys).decodeInt("DEL")
    }

    /// `EXPIRE` in whole seconds; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await call("EXPIRE", [key, String(seconds)]).decodeInt("EXPIRE") == 1
    }

    /// `PEXPIRE`; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, after duration: Duration) async throws -> Bool {
        guard case .milliseconds(let millis) = RedisExpiration(duration) else { return false }
        return try await call("PEXPIRE", [key, String(millis)]).decodeInt("PEXPIRE") == 1
    }

    /// `TTL`: whole seconds left, -1 without expiry, -2 when the key is missing.
    public func ttlSeconds(_ key: String) async throws -> Int {
        try await call("TTL", [key]).decodeInt("TTL")
    }

    /// `PTTL`, as a typed answer.
    public func timeToLive(_ key: String) async throws -> RedisTimeToLive {
        switch try await call("PTTL", [key]).decodeInt("PTTL") {
        case -2: return .keyMissing
        case -1: return .noExpiry
        case let millis: return .expiresIn(.milliseconds(millis))
        }
    }

    @discardableResult
    public func increment(_ key: String, by amount: Int) async throws -> Int {
        try await call("INCRBY", [key, String(amount)]).decodeInt("INCRBY")
    }

    @discardableResult
    public func increment(_ key: String, byFloat amount: Double) async throws -> Double {
        try await call("INCRBYFLOAT", [key, RESPValue.redisText(of: amount)]).decodeDouble("INCRBYFLOAT")
    }

    /// Returns the number of clients that received the message.
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        try await call("PUBLISH", [channel, message]).decodeInt("PUBLISH")
    }
}
