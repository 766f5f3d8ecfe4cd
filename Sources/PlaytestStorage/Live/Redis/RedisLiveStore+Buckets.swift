import RedisClient

extension RedisLiveStore {
    /// One script run for every bucket of a request: refill each by the time since its last take (Redis's own clock,
    /// so every `serve` agrees), take a token from each only if each has one, and keep each bucket only as long as it
    /// takes to fill up again. ARGV holds each bucket's capacity and rate, in the order of KEYS.
    static let takeTokensScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
        local levels = {}
        local allowed = 1
        for i, key in ipairs(KEYS) do
            local capacity = tonumber(ARGV[2 * i - 1])
            local rate = tonumber(ARGV[2 * i])
            local state = redis.call('HMGET', key, 'tokens', 'at')
            local tokens = tonumber(state[1]) or capacity
            local at = tonumber(state[2]) or now
            levels[i] = math.min(capacity, tokens + math.max(0, now - at) * rate)
            if levels[i] < 1 then allowed = 0 end
        end
        local reply = {allowed}
        for i, key in ipairs(KEYS) do
            local capacity = tonumber(ARGV[2 * i - 1])
            local rate = tonumber(ARGV[2 * i])
            local tokens = levels[i] - allowed
            redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('EXPIRE', key, math.ceil((capacity - tokens) / rate) + 1)
            reply[i + 1] = tostring(tokens)
        end
        return reply
        """

    public func takeTokens(_ buckets: [TokenBucket]) async throws -> [TokenBucketResult] {
        for bucket in buckets { try bucket.validate() }
        guard let first = buckets.first else { return [] }
        var command = ["EVAL", Self.takeTokensScript, String(buckets.count)] + buckets.map { redisKey($0.key) }
        for bucket in buckets { command += [String(bucket.capacity), String(bucket.perSecond)] }
        let reply = try await run(first.key) { try await client.send(command) }
        guard let parts = reply.array, parts.count == buckets.count + 1, let allowed = parts[0].int else {
            throw LiveStoreError.unavailable(engine: engineName, reason: "unexpected reply to the token bucket script: \(reply)")
        }
        return try zip(buckets, parts.dropFirst()).map { bucket, part in
            guard let tokens = part.string.flatMap(Double.init) else {
                throw LiveStoreError.unavailable(engine: engineName, reason: "unexpected reply to the token bucket script: \(reply)")
            }
            return TokenBucketResult(allowed: allowed == 1, tokens: tokens, capacity: bucket.capacity, perSecond: bucket.perSecond)
        }
    }
}
