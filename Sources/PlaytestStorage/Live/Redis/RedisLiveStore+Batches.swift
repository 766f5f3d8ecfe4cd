import RedisClient

extension RedisLiveStore {
    public func write(_ batch: [LiveWrite]) async throws {
        for write in batch { try write.validate() }
        let commands = batch.flatMap(commands(for:))
        guard !commands.isEmpty else { return }
        _ = try await run(batch.first?.key ?? "") { try await client.transaction(commands) }
    }

    /// A write's Redis commands (empty for a no-op such as an empty hash).
    private func commands(for write: LiveWrite) -> [RESPCommand] {
        let key = redisKey(write.key)
        switch write {
        case .set(_, let value):
            return [RESPCommand("SET", key, value)]
        case .increment(_, let amount):
            return [RESPCommand("INCRBY", key, String(amount))]
        case .hashSet(_, let fields):
            guard !fields.isEmpty else { return [] }
            return [RESPCommand("HSET", [key] + fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })]
        case .hashSetIfAbsent(_, let field, let value):
            return [RESPCommand("HSETNX", key, field, value)]
        case .setAdd(_, let members):
            guard !members.isEmpty else { return [] }
            return [RESPCommand("SADD", [key] + members)]
        case .delete:
            return [RESPCommand("DEL", key)]
        case .listPushCapped(_, let values, let cap):
            guard !values.isEmpty else { return [] }
            return [RESPCommand("LPUSH", [key] + values), RESPCommand("LTRIM", key, "0", String(cap - 1))]
        case .sortedSetAdd(_, let members, let condition):
            guard !members.isEmpty else { return [] }
            let flag: [String] = switch condition {
            case .always: []
            case .greater: ["GT"]
            case .less: ["LT"]
            }
            return [RESPCommand("ZADD", [key] + flag + members.flatMap { [RESPValue.redisText(of: $0.score), $0.member] })]
        case .sortedSetIncrement(_, let member, let amount):
            return [RESPCommand("ZINCRBY", key, RESPValue.redisText(of: amount), member)]
        case .sortedSetKeepHighest(_, let count):
            return [RESPCommand("ZREMRANGEBYRANK", key, "0", String(-(count + 1)))]
        case .expire(_, let ttl):
            return [RESPCommand("PEXPIRE", key, String(max(1, ttl.milliseconds)))]
        }
    }

    /// Bytes Redis holds for `key` (`MEMORY USAGE`), nil when it does not exist; for measuring the memory budget.
    public func memoryUsage(_ key: String) async throws -> Int? {
        try await run(key) { try await client.send(["MEMORY", "USAGE", redisKey(key), "SAMPLES", "0"]).int }
    }
}
