import RedisClient

extension RedisLiveStore {
    /// One script run: refill by the time since the last take (Redis's own clock, so every `serve` agrees), take a
    /// token if there is one, and keep the bucket only as long as it takes to fill up again.
    static let takeTokenScript = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or capacity
        local at = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
        local allowed = 0
        if tokens >= 1 then
            tokens = tokens - 1
            allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('EXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1)
        return {allowed, tostring(tokens)}
        """

    public func takeToken(_ key: String, capacity: Int, perSecond: Double) async throws -> TokenBucketResult {
        guard capacity > 0, perSecond > 0 else {
            throw LiveStoreError.invalidArgument("a token bucket needs a positive capacity and rate, got \(capacity) and \(perSecond)")
        }
        let reply = try await run(key) {
            try await client.send(["EVAL", Self.takeTokenScript, "1", redisKey(key), String(capacity), String(perSecond)])
        }
        guard let parts = reply.array, parts.count == 2, let allowed = parts[0].int, let tokens = parts[1].string.flatMap(Double.init) else {
            throw LiveStoreError.unavailable(engine: engineName, reason: "unexpected reply to the token bucket script: \(reply)")
        }
        return TokenBucketResult(allowed: allowed == 1, tokens: tokens, capacity: capacity, perSecond: perSecond)
    }
}
