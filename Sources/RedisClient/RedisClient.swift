import Logging
import Metrics
import NIOCore
import NIOPosix

/// A Redis client: a pool of RESP3 connections for commands plus one dedicated connection for
/// pub/sub.
///
/// Commands lease a pooled connection, so concurrent callers run in parallel and `pipeline` sends a
/// batch in one write. Connections broken by a redis-server restart are re-created on demand;
/// while the server is down a command fails fast with `RedisClientError.connectFailed`.
/// Call `shutdown()` when done.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let subscriber: RedisSubscriber
    private let logger: Logger

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "redis-client")
    ) {
        self.configuration = configuration
        self.logger = logger
        self.pool = RedisConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.subscriber = RedisSubscriber(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    public convenience init(url: String, logger: Logger = Logger(label: "redis-client")) throws(RedisConfigurationError) {
        self.init(configuration: try RedisConfiguration(url: url), logger: logger)
    }

    /// Sends one command; an error reply is thrown as `RedisServerError` with Redis's message.
    @discardableResult
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        let replies = try await withConnection([command]) { try await $0.sendBatchOnce([command]) }
        guard let reply = replies.first else {
            throw RedisClientError.unexpectedReply(command: command.name, reply: "no reply")
        }
        if let message = reply.errorMessage { throw RedisServerError(message: message, command: command.name) }
        return reply
    }

    /// Sends a command given as strings, e.g. `send(["SET", "key", "value"])`.
    @discardableResult
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await send(RESPCommand(arguments.map { ByteBuffer(string: $0) }))
    }

    /// Sends a command whose arguments are RESP values (bulk strings, numbers, booleans).
    @discardableResult
    public func send(_ arguments: [RESPValue]) async throws -> RESPValue {
        try await send(RESPCommand(arguments.map(\.argumentBytes)))
    }

    /// Sends all commands in one write on one connection and returns the replies in order.
    ///
    /// Error replies are returned as `.error` values (use `RESPValue.errorMessage`), so one failing
    /// command does not hide the others' results; transport failures throw.
    public func pipeline(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await withConnection(commands) { try await $0.sendBatchOnce(commands) }
    }

    /// Runs `body` on a leased connection. A connection found closed before anything was written
    /// (Redis restarted while it sat idle) is dropped and the batch goes out on another one.
    /// Each batch's round trip is timed as `playtest_engine_duration_seconds{engine="redis"}`, by command (a batch
    /// of several is a `pipeline`).
    private func withConnection(_ commands: [RESPCommand], _ body: (RedisConnection) async throws -> [RESPValue]) async throws -> [RESPValue] {
        let start = ContinuousClock.now
        defer {
            let operation = commands.count == 1 ? commands[0].name.lowercased() : "pipeline"
            Timer(label: "playtest_engine_duration_seconds", dimensions: [("engine", "redis"), ("operation", operation)])
                .record(duration: ContinuousClock.now - start)
        }
        var attempts = 0
        while true {
            let connection = try await pool.lease()
            do {
                let replies = try await body(connection)
                pool.release(connection)
                return replies
            } catch let unusable as RedisConnectionUnusable {
                pool.release(connection, discard: true)
                attempts += 1
                if attempts > configuration.poolSize { throw unusable.underlying }
            } catch {
                pool.release(connection, discard: !(error is RedisServerError))
                throw error
            }
        }
    }

    /// Runs the commands in a MULTI/EXEC transaction in one write and returns each command's reply.
    /// Throws the first error reply, if any.
    public func transaction(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        let replies = try await pipeline([RESPCommand("MULTI")] + commands + [RESPCommand("EXEC")])
        for (reply, command) in zip(replies.dropLast(), [RESPCommand("MULTI")] + commands) {
            if let message = reply.errorMessage { throw RedisServerError(message: message, command: command.name) }
        }
        guard let exec = replies.last else { throw RedisClientError.unexpectedReply(command: "EXEC", reply: "none") }
        if let message = exec.errorMessage { throw RedisServerError(message: message, command: "EXEC") }
        guard let results = exec.array else {
            throw RedisClientError.unexpectedReply(command: "EXEC", reply: "\(exec)")
        }
        for (result, command) in zip(results, commands) {
            if let message = result.errorMessage { throw RedisServerError(message: message, command: command.name) }
        }
        return results
    }

    /// Subscribes to channels on the pub/sub connection. Returns once Redis confirmed, so every
    /// message published afterwards is delivered (until the subscription is cancelled).
    public func subscribe(channels: [String]) async throws -> RedisSubscription {
        try await subscriber.subscribe(channels: channels, patterns: [])
    }

    /// Subscribes to glob patterns (`PSUBSCRIBE`); messages carry the pattern that matched.
    public func subscribe(patterns: [String]) async throws -> RedisSubscription {
        try await subscriber.subscribe(channels: [], patterns: patterns)
    }

    /// Closes every connection; later commands fail with `RedisClientError.clientClosed`.
    public func shutdown() async {
        await subscriber.close()
        await pool.close()
    }
}

extension RESPValue {
    /// The bytes this value contributes as a command argument.
    var argumentBytes: ByteBuffer {
        switch withoutAttributes {
        case .bulkString(let buffer): return buffer
        case .boolean(let flag): return ByteBuffer(string: flag ? "1" : "0")
        case .double(let value): return ByteBuffer(string: RESPValue.redisText(of: value))
        default: return ByteBuffer(string: string ?? "")
        }
    }
}
