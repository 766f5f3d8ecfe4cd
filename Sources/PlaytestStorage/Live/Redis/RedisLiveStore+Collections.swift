import RedisClient

extension RedisLiveStore {
    // MARK: sorted sets

    public func sortedSetAdd(_ key: String, member: String, score: Double) async throws {
        guard !score.isNaN else { throw LiveStoreError.invalidArgument("score for '\(member)' is not a number") }
        _ = try await run(key) { try await client.zadd(redisKey(key), [RedisScoredMember(member: member, score: score)]) }
    }

    @discardableResult
    public func sortedSetIncrement(_ key: String, member: String, by amount: Double) async throws -> Double {
        try await run(key) { try await client.zincrby(redisKey(key), member: member, by: amount) }
    }

    public func sortedSetScore(_ key: String, member: String) async throws -> Double? {
        try await run(key) { try await client.zscore(redisKey(key), member: member) }
    }

    public func sortedSetCount(_ key: String) async throws -> Int {
        try await run(key) { try await client.send(["ZCARD", redisKey(key)]).int ?? 0 }
    }

    public func sortedSetRank(_ key: String, member: String, descending: Bool) async throws -> Int? {
        try await run(key) { try await client.zrank(redisKey(key), member: member, reverse: descending) }
    }

    public func sortedSetRange(_ key: String, start: Int, stop: Int, descending: Bool) async throws -> [ScoredMember] {
        try await run(key) {
            try await client.zrange(redisKey(key), start: start, stop: stop, reverse: descending).map(ScoredMember.init)
        }
    }

    public func sortedSetRangeByScore(_ key: String, min: Double, max: Double, limit: Int?) async throws -> [ScoredMember] {
        let limit = limit.flatMap { $0 < 0 ? nil : $0 }
        if limit == 0 { return [] }
        return try await run(key) {
            try await client.zrangeByScore(
                redisKey(key), min: .inclusive(min), max: .inclusive(max),
                limit: limit.map { (offset: 0, count: $0) }
            ).map(ScoredMember.init)
        }
    }

    @discardableResult
    public func sortedSetRemove(_ key: String, members: [String]) async throws -> Int {
        try await run(key) { try await client.zrem(redisKey(key), members) }
    }

    // MARK: sets

    @discardableResult
    public func setAdd(_ key: String, members: [String]) async throws -> Int {
        try await run(key) { try await client.sadd(redisKey(key), members) }
    }

    @discardableResult
    public func setRemove(_ key: String, members: [String]) async throws -> Int {
        try await run(key) { try await client.srem(redisKey(key), members) }
    }

    public func setContains(_ key: String, member: String) async throws -> Bool {
        try await run(key) { try await client.sismember(redisKey(key), member) }
    }

    public func setMembers(_ key: String) async throws -> Set<String> {
        try await run(key) { try await client.smembers(redisKey(key)) }
    }

    // MARK: pub/sub

    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        try await run(channel) { try await client.publish(redisKey(channel), message) }
    }

    public func subscribe(_ channels: [String]) async throws -> LiveSubscription {
        let prefix = keyPrefix
        let subscription = try await run(channels.first ?? "") {
            try await client.subscribe(channels: channels.map(redisKey))
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: LiveMessage.self,
            bufferingPolicy: .bufferingNewest(subscriberBufferSize)
        )
        let relay = Task {
            for await message in subscription.messages {
                continuation.yield(LiveMessage(channel: String(message.channel.dropFirst(prefix.count)), payload: message.payloadString))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            relay.cancel()
            Task { await subscription.cancel() }
        }
        return LiveSubscription(messages: stream, onCancel: {
            continuation.finish()
            await subscription.cancel()
        })
    }
}

extension ScoredMember {
    init(_ scored: RedisScoredMember) {
        self.init(member: scored.member, score: scored.score)
    }
}
