/// An error reply from Redis (`-ERR ...`, `-WRONGTYPE ...`), with Redis's own message.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The full message as Redis sent it, e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`.
    public var message: String
    /// The command that failed (name only; arguments may be secrets).
    public var command: String

    public init(message: String, command: String) {
        self.message = message
        self.command = command
    }

    /// The error code: the first word of the message (`ERR`, `WRONGTYPE`, `NOAUTH`, ...).
    public var code: String {
        String(message.prefix { $0 != " " })
    }

    public var description: String { "Redis rejected \(command): \(message)" }
}

/// Failures of the client itself: reaching the server, timing out, a closed client.
public enum RedisClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The TCP connection (or the HELLO/AUTH/SELECT handshake) could not be established.
    case connectFailed(endpoint: String, reason: String)
    /// The connection dropped while the command was in flight; whether it ran is unknown.
    case connectionClosed(endpoint: String, command: String)
    /// No reply within the configured command timeout; the connection is closed and re-created.
    case timeout(command: String, after: Duration)
    /// No pooled connection became free within the command timeout.
    case poolExhausted(size: Int, after: Duration)
    /// The client was shut down.
    case clientClosed
    /// Redis answered with something this command cannot interpret.
    case unexpectedReply(command: String, reply: String)

    public var description: String {
        switch self {
        case .connectFailed(let endpoint, let reason):
            return "Cannot connect to Redis at \(endpoint): \(reason). Is redis-server running and REDIS_URL right?"
        case .connectionClosed(let endpoint, let command):
            return "The connection to Redis at \(endpoint) closed while \(command) was in flight."
        case .timeout(let command, let after):
            return "Redis did not answer \(command) within \(after)."
        case .poolExhausted(let size, let after):
            return "All \(size) Redis connections stayed busy for \(after); raise the pool size or the timeout."
        case .clientClosed:
            return "The Redis client has been shut down."
        case .unexpectedReply(let command, let reply):
            return "Unexpected reply to \(command) from Redis: \(reply)"
        }
    }
}
