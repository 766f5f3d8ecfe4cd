extension RedisClient {
    // MARK: hashes

    /// Returns how many fields were new.
    @discardableResult
    public func hset(_ key: String, _ fields: [String: String]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        let arguments = fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        return try await call("HSET", [key] + arguments).decodeInt("HSET")
    }

    public func hget(_ key: String, field: String) async throws -> String? {
        try await call("HGET", [key, field]).decodeOptionalString("HGET")
    }

    public func hgetall(_ key: String) async throws -> [String: String] {
        let reply = try await call("HGETALL", [key])
        guard let pairs = reply.pairs else { throw RedisClientError.unexpectedReply(command: "HGETALL", reply: "\(reply)") }
        var fields: [String: String] = [:]
        for pair in pairs {
            if let field = pair.key.string, let value = pair.value.string { fields[field] = value }
        }
        return fields
    }

    @discardableResult
    public func hdel(_ key: String, fields: [String]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        return try await call("HDEL", [key] + fields).decodeInt("HDEL")
    }

    // MARK: lists

    /// Pushes each value to the head in turn (the last value ends up first); returns the new length.
    @discardableResult
    public func lpush(_ key: String, _ values: [String]) async throws -> Int {
        try await call("LPUSH", [key] + values).decodeInt("LPUSH")
    }

    @discardableResult
    public func rpush(_ key: String, _ values: [String]) async throws -> Int {
        try await call("RPUSH", [key] + values).decodeInt("RPUSH")
    }

    public func ltrim(_ key: String, start: Int, stop: Int) async throws {
        try await call("LTRIM", [key, String(start), String(stop)])
    }

    public func lrange(_ key: String, start: Int, stop: Int) async throws -> [String] {
        try await call("LRANGE", [key, String(start), String(stop)]).decodeStrings("LRANGE")
    }

    // MARK: sets

    @discardableResult
    public func sadd(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await call("SADD", [key] + members).decodeInt("SADD")
    }

    @discardableResult
    public func srem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await call("SREM", [key] + members).decodeInt("SREM")
    }

    public func sismember(_ key: String, _ member: String) async throws -> Bool {
        try await call("SISMEMBER", [key, member]).decodeInt("SISMEMBER") == 1
    }

    public func smembers(_ key: String) async throws -> Set<String> {
        Set(try await call("SMEMBERS", [key]).decodeStrings("SMEMBERS"))
    }
}
