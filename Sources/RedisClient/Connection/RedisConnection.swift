import Foundation
import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis speaking RESP3, with any number of commands in flight.
///
/// `connect` performs the handshake (`HELLO 3` with AUTH from the configuration, then `SELECT`).
/// Commands sent concurrently are pipelined on the wire; replies are matched in order.
public final class RedisConnection: Sendable {
    public let channel: any Channel
    public let configuration: RedisConfiguration
    /// The protocol version the server agreed to (3, or 2 for servers without HELLO).
    public let protocolVersion: Int

    private init(channel: any Channel, configuration: RedisConfiguration, protocolVersion: Int) {
        self.channel = channel
        self.configuration = configuration
        self.protocolVersion = protocolVersion
    }

    /// Connects and performs the handshake. `onPush` receives out-of-band frames (pub/sub
    /// messages) on the connection's event loop, in arrival order.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger = Logger(label: "redis"),
        onPush: (@Sendable (RESPValue) -> Void)? = nil
    ) async throws -> RedisConnection {
        let endpoint = configuration.endpoint
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(TimeAmount(configuration.commandTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers: [any ChannelHandler] = [
                        MessageToByteHandler(RESPCommandEncoder()),
                        RedisCommandHandler(endpoint: endpoint, logger: logger, onPush: onPush),
                    ]
                    try channel.pipeline.syncOperations.addHandlers(handlers)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisClientError.connectFailed(endpoint: endpoint, reason: Self.explain(error))
        }
        do {
            let version = try await handshake(channel: channel, configuration: configuration)
            logger.debug("Connected to Redis", metadata: ["redis.endpoint": "\(endpoint)", "redis.resp": "\(version)"])
            return RedisConnection(channel: channel, configuration: configuration, protocolVersion: version)
        } catch {
            try? await channel.close()
            if let serverError = error as? RedisServerError {
                throw RedisClientError.connectFailed(endpoint: endpoint, reason: serverError.message)
            }
            throw error
        }
    }

    public var isActive: Bool { channel.isActive }

    /// Sends one command; an error reply is thrown as `RedisServerError`.
    @discardableResult
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        let replies = try await sendBatch([command])
        guard let reply = replies.first else {
            throw RedisClientError.unexpectedReply(command: command.name, reply: "no reply")
        }
        if let message = reply.errorMessage { throw RedisServerError(message: message, command: command.name) }
        return reply
    }

    /// Sends all commands in one write and returns their replies in order; error replies stay
    /// `.error` values so one failing command does not hide the others' results.
    public func sendBatch(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        do {
            return try await sendBatchOnce(commands)
        } catch let unusable as RedisConnectionUnusable {
            throw unusable.underlying
        }
    }

    /// Like `sendBatch`, but a batch that never left throws `RedisConnectionUnusable`.
    func sendBatchOnce(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        let channel = self.channel
        let endpoint = configuration.endpoint
        let timeout = configuration.commandTimeout
        // One hop onto the event loop does the write and hooks up the reply, instead of one hop
        // each for the write, its failure callback and awaiting the future.
        return try await withUnsafeThrowingContinuation { continuation in
            let eventLoop = channel.eventLoop
            if eventLoop.inEventLoop {
                Self.write(commands, timeout: timeout, on: channel, endpoint: endpoint, continuation: continuation)
            } else {
                eventLoop.execute {
                    Self.write(commands, timeout: timeout, on: channel, endpoint: endpoint, continuation: continuation)
                }
            }
        }
    }

    /// On the event loop: hands the batch to the handler, which resumes `continuation` exactly once.
    private static func write(
        _ commands: [RESPCommand],
        timeout: Duration,
        on channel: any Channel,
        endpoint: String,
        continuation: UnsafeContinuation<[RESPValue], any Error>
    ) {
        // On the loop, an active channel still has its handlers, so the write reaches
        // RedisCommandHandler synchronously; an inactive one might not, so fail here.
        guard channel.isActive else {
            let name = commands.count == 1 ? commands[0].name : "a pipeline of \(commands.count) commands"
            continuation.resume(throwing: RedisConnectionUnusable(underlying: .connectionClosed(endpoint: endpoint, command: name)))
            return
        }
        channel.writeAndFlush(RedisRequest(commands: commands, responder: .continuation(continuation), timeout: timeout), promise: nil)
    }

    /// The error for a write the handler never saw (the channel was already closed).
    private static func writeFailure(_ error: any Error, commands: [RESPCommand], endpoint: String) -> any Error {
        guard error is ChannelError else { return error }
        let name = commands.count == 1 ? commands[0].name : "a pipeline of \(commands.count) commands"
        return RedisClientError.connectionClosed(endpoint: endpoint, command: name)
    }

    /// The EventLoopFuture flavour of `sendBatch`, for code that runs on the connection's event
    /// loop (chaining batches there costs no thread hop at all).
    public func sendBatch(_ commands: [RESPCommand], timeout: Duration?) -> EventLoopFuture<[RESPValue]> {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(commands: commands, responder: .promise(promise), timeout: timeout)
        let endpoint = configuration.endpoint
        channel.writeAndFlush(request).whenFailure { error in
            // Completing an already-completed promise is a no-op, so this only catches writes the
            // handler never saw (the channel was already closed).
            promise.fail(Self.writeFailure(error, commands: commands, endpoint: endpoint))
        }
        return promise.futureResult
    }

    public func close() async {
        try? await channel.close()
    }

    private static func handshake(channel: any Channel, configuration: RedisConfiguration) async throws -> Int {
        let connection = RedisConnection(channel: channel, configuration: configuration, protocolVersion: 3)
        var hello = ["3"]
        if let password = configuration.password {
            hello += ["AUTH", configuration.username ?? "default", password]
        }
        hello += ["SETNAME", "playtest"]
        var version = 3
        do {
            try await connection.send(RESPCommand("HELLO", hello))
        } catch let error as RedisServerError where error.code == "NOPROTO" || error.message.contains("unknown command") {
            // A server before Redis 6: stay on RESP2 and authenticate the old way.
            version = 2
            if let password = configuration.password {
                let arguments = configuration.username.map { [$0, password] } ?? [password]
                try await connection.send(RESPCommand("AUTH", arguments))
            }
        }
        if configuration.database != 0 {
            try await connection.send(RESPCommand("SELECT", String(configuration.database)))
        }
        return version
    }

    private static func explain(_ error: any Error) -> String {
        if let connectionError = error as? NIOConnectionError {
            if let first = connectionError.connectionErrors.first { return explain(first.error) }
            if let dnsError = connectionError.dnsAError ?? connectionError.dnsAAAAError {
                return "cannot resolve \(connectionError.host): \(dnsError)"
            }
            return "no address for \(connectionError.host)"
        }
        if let ioError = error as? IOError {
            return String(cString: strerror(ioError.errnoCode)).lowercased()
        }
        if case ChannelError.connectTimeout(let amount) = error {
            return "no answer within \(Duration.nanoseconds(amount.nanoseconds))"
        }
        return "\(error)"
    }
}
