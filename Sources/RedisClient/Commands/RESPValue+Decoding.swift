extension RESPValue {
    /// Converts a reply with `convert`, or throws `unexpectedReply` naming the command.
    func decode<T>(_ command: String, _ convert: (RESPValue) -> T?) throws -> T {
        guard let value = convert(self) else {
            throw RedisClientError.unexpectedReply(command: command, reply: "\(self)")
        }
        return value
    }

    func decodeInt(_ command: String) throws -> Int { try decode(command) { $0.int } }
    func decodeDouble(_ command: String) throws -> Double { try decode(command) { $0.double } }
    func decodeOptionalString(_ command: String) throws -> String? {
        if isNull { return nil }
        return try decode(command) { $0.string }
    }
    func decodeStrings(_ command: String) throws -> [String] {
        try decode(command) { $0.array?.compactMap(\.string) }
    }
}

extension RedisClient {
    @discardableResult
    func call(_ name: String, _ arguments: [String]) async throws -> RESPValue {
        try await send(RESPCommand(name, arguments))
    }
}
