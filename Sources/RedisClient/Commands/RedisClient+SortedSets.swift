/// A sorted-set member with its score.
public struct RedisScoredMember: Sendable, Hashable {
    public var member: String
    public var score: Double
    public init(member: String, score: Double) {
        self.member = member
        self.score = score
    }
}

/// A score bound for `ZRANGE ... BYSCORE`.
public enum RedisScoreBound: Sendable, Hashable {
    case inclusive(Double)
    case exclusive(Double)

    var argument: String {
        switch self {
        case .inclusive(let score): return RESPValue.redisText(of: score)
        case .exclusive(let score): return "(" + RESPValue.redisText(of: score)
        }
    }
}

extension RedisClient {
    /// Adds or updates members; returns how many were new.
    @discardableResult
    public func zadd(_ key: String, _ members: [RedisScoredMember]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        let arguments = members.flatMap { [RESPValue.redisText(of: $0.score), $0.member] }
        return try await call("ZADD", [key] + arguments).decodeInt("ZADD")
    }

    /// Returns the new score.
    @discardableResult
    public func zincrby(_ key: String, member: String, by amount: Double) async throws -> Double {
        try await call("ZINCRBY", [key, RESPValue.redisText(of: amount), member]).decodeDouble("ZINCRBY")
    }

    public func zscore(_ key: String, member: String) async throws -> Double? {
        let reply = try await call("ZSCORE", [key, member])
        if reply.isNull { return nil }
        return try reply.decodeDouble("ZSCORE")
    }

    /// 0-based rank by ascending score (`ZRANK`) or descending score (`ZREVRANK`).
    public func zrank(_ key: String, member: String, reverse: Bool = false) async throws -> Int? {
        let name = reverse ? "ZREVRANK" : "ZRANK"
        let reply = try await call(name, [key, member])
        if reply.isNull { return nil }
        return try reply.decodeInt(name)
    }

    /// Members by rank, `start...stop` inclusive, negative counting from the end.
    public func zrange(_ key: String, start: Int, stop: Int, reverse: Bool = false) async throws -> [RedisScoredMember] {
        var arguments = [key, String(start), String(stop)]
        if reverse { arguments.append("REV") }
        return try await zrange(arguments)
    }

    /// Members with `min <= score <= max` (bounds may be exclusive), ascending, or descending with
    /// `reverse`; `limit` is (offset, count).
    public func zrangeByScore(
        _ key: String,
        min: RedisScoreBound,
        max: RedisScoreBound,
        reverse: Bool = false,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [RedisScoredMember] {
        var arguments = [key] + (reverse ? [max.argument, min.argument] : [min.argument, max.argument]) + ["BYSCORE"]
        if reverse { arguments.append("REV") }
        if let limit { arguments += ["LIMIT", String(limit.offset), String(limit.count)] }
        return try await zrange(arguments)
    }

    @discardableResult
    public func zrem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await call("ZREM", [key] + members).decodeInt("ZREM")
    }

    private func zrange(_ arguments: [String]) async throws -> [RedisScoredMember] {
        let reply = try await call("ZRANGE", arguments + ["WITHSCORES"])
        guard let items = reply.array else { throw RedisClientError.unexpectedReply(command: "ZRANGE", reply: "\(reply)") }
        // RESP3 nests [member, score] pairs; RESP2 flattens them into one array of strings.
        if items.allSatisfy({ $0.array?.count == 2 }) {
            return try items.map { item in
                let pair = item.array ?? []
                guard let member = pair[0].string, let score = pair[1].double else {
                    throw RedisClientError.unexpectedReply(command: "ZRANGE", reply: "\(item)")
                }
                return RedisScoredMember(member: member, score: score)
            }
        }
        guard let pairs = reply.pairs else { throw RedisClientError.unexpectedReply(command: "ZRANGE", reply: "\(reply)") }
        return try pairs.map { pair in
            guard let member = pair.key.string, let score = pair.value.double else {
                throw RedisClientError.unexpectedReply(command: "ZRANGE", reply: "\(pair)")
            }
            return RedisScoredMember(member: member, score: score)
        }
    }
}
