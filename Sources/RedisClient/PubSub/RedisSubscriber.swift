import Logging
import NIOCore

/// Owns the dedicated pub/sub connection and fans messages out to local subscriptions.
///
/// Many local subscriptions share one Redis subscription per channel or pattern. When the
/// connection drops (redis-server restart), the subscriber reconnects with backoff and subscribes
/// again to everything still wanted.
actor RedisSubscriber {
    private typealias Continuation = AsyncStream<RedisPubSubMessage>.Continuation

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    private var connection: RedisConnection?
    private var connecting: Task<RedisConnection, any Error>?
    private var reconnecting: Task<Void, Never>?
    private var pump: Task<Void, Never>?
    private let pushes: AsyncStream<RESPValue>
    private let pushSink: AsyncStream<RESPValue>.Continuation

    private var channelReaders: [String: [UInt64: Continuation]] = [:]
    private var patternReaders: [String: [UInt64: Continuation]] = [:]
    private var nextID: UInt64 = 0
    private var closed = false

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        (pushes, pushSink) = AsyncStream.makeStream(of: RESPValue.self)
    }

    func subscribe(channels: [String], patterns: [String]) async throws -> RedisSubscription {
        guard !closed else { throw RedisClientError.clientClosed }
        guard !channels.isEmpty || !patterns.isEmpty else {
            return RedisSubscription(messages: AsyncStream { $0.finish() }, onCancel: {})
        }
        startPumpIfNeeded()
        let connection = try await liveConnection()

        // From here to the write there is no suspension, so the wire order of SUBSCRIBE and
        // UNSUBSCRIBE matches the order of these bookkeeping decisions.
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncStream.makeStream(
            of: RedisPubSubMessage.self,
            bufferingPolicy: .bufferingNewest(configuration.subscriberBufferSize)
        )
        for channel in Set(channels) { channelReaders[channel, default: [:]][id] = continuation }
        for pattern in Set(patterns) { patternReaders[pattern, default: [:]][id] = continuation }
        var commands: [RESPCommand] = []
        if !channels.isEmpty { commands.append(RESPCommand("SUBSCRIBE", Array(Set(channels)))) }
        if !patterns.isEmpty { commands.append(RESPCommand("PSUBSCRIBE", Array(Set(patterns)))) }
        let confirmed = connection.sendBatch(commands, timeout: configuration.commandTimeout)

        do {
            let replies = try await confirmed.get()
            for (reply, command) in zip(replies, commands) {
                if let message = reply.errorMessage { throw RedisServerError(message: message, command: command.name) }
            }
        } catch {
            await remove(id)
            throw error
        }
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        return RedisSubscription(messages: stream, onCancel: { [weak self] in
            await self?.remove(id)
        })
    }

    func close() async {
        closed = true
        reconnecting?.cancel()
        connecting?.cancel()
        for readers in channelReaders.values { readers.values.forEach { $0.finish() } }
        for readers in patternReaders.values { readers.values.forEach { $0.finish() } }
        channelReaders.removeAll()
        patternReaders.removeAll()
        pushSink.finish()
        pump?.cancel()
        await connection?.close()
        connection = nil
    }

    // MARK: membership

    /// Drops a local subscription and unsubscribes in Redis from what nobody wants any more;
    /// returns once Redis confirmed (or the connection is gone).
    private func remove(_ id: UInt64) async {
        var lastChannels: [String] = []
        var lastPatterns: [String] = []
        for (channel, readers) in channelReaders where readers[id] != nil {
            readers[id]?.finish()
            channelReaders[channel]?[id] = nil
            if channelReaders[channel]?.isEmpty == true {
                channelReaders[channel] = nil
                lastChannels.append(channel)
            }
        }
        for (pattern, readers) in patternReaders where readers[id] != nil {
            readers[id]?.finish()
            patternReaders[pattern]?[id] = nil
            if patternReaders[pattern]?.isEmpty == true {
                patternReaders[pattern] = nil
                lastPatterns.append(pattern)
            }
        }
        guard let connection, connection.isActive else { return }
        var commands: [RESPCommand] = []
        if !lastChannels.isEmpty { commands.append(RESPCommand("UNSUBSCRIBE", lastChannels)) }
        if !lastPatterns.isEmpty { commands.append(RESPCommand("PUNSUBSCRIBE", lastPatterns)) }
        guard !commands.isEmpty else { return }
        // Written before the first suspension, so it stays ordered with later SUBSCRIBEs.
        let confirmed = connection.sendBatch(commands, timeout: configuration.commandTimeout)
        _ = try? await confirmed.get()
    }

    // MARK: delivery

    private func startPumpIfNeeded() {
        guard pump == nil else { return }
        let pushes = self.pushes
        pump = Task { [weak self] in
            for await push in pushes {
                await self?.dispatch(push)
            }
        }
    }

    private func dispatch(_ push: RESPValue) {
        guard let items = push.array, let kind = items.first?.string else { return }
        switch kind.lowercased() {
        case "message" where items.count == 3:
            guard let channel = items[1].string, case .bulkString(let payload) = items[2].withoutAttributes else { return }
            let message = RedisPubSubMessage(channel: channel, pattern: nil, payload: payload)
            channelReaders[channel]?.values.forEach { $0.yield(message) }
        case "pmessage" where items.count == 4:
            guard let pattern = items[1].string, let channel = items[2].string,
                  case .bulkString(let payload) = items[3].withoutAttributes else { return }
            let message = RedisPubSubMessage(channel: channel, pattern: pattern, payload: payload)
            patternReaders[pattern]?.values.forEach { $0.yield(message) }
        default:
            break
        }
    }

    // MARK: connection

    /// The open pub/sub connection, connecting (and re-subscribing) first when there is none.
    private func liveConnection() async throws -> RedisConnection {
        if let connection, connection.isActive { return connection }
        if let connecting { return try await connecting.value }
        let task = Task { try await self.establish() }
        connecting = task
        defer { connecting = nil }
        return try await task.value
    }

    private func establish() async throws -> RedisConnection {
        let sink = pushSink
        let fresh = try await RedisConnection.connect(
            configuration: configuration,
            eventLoop: eventLoopGroup.next(),
            logger: logger,
            onPush: { sink.yield($0) }
        )
        var commands: [RESPCommand] = []
        if !channelReaders.isEmpty { commands.append(RESPCommand("SUBSCRIBE", Array(channelReaders.keys))) }
        if !patternReaders.isEmpty { commands.append(RESPCommand("PSUBSCRIBE", Array(patternReaders.keys))) }
        if !commands.isEmpty {
            let replies = try await fresh.sendBatch(commands)
            if let message = replies.compactMap(\.errorMessage).first {
                await fresh.close()
                throw RedisServerError(message: message, command: "SUBSCRIBE")
            }
            logger.debug("Re-subscribed after reconnecting", metadata: ["redis.endpoint": "\(configuration.endpoint)"])
        }
        connection = fresh
        fresh.channel.closeFuture.whenComplete { [weak self] _ in
            Task { await self?.connectionLost(fresh) }
        }
        return fresh
    }

    private func connectionLost(_ lost: RedisConnection) {
        guard connection === lost else { return }
        connection = nil
        guard !closed, reconnecting == nil, !(channelReaders.isEmpty && patternReaders.isEmpty) else { return }
        logger.debug("Pub/sub connection lost; reconnecting", metadata: ["redis.endpoint": "\(configuration.endpoint)"])
        reconnecting = Task { await self.reconnectWithBackoff() }
    }

    private func reconnectWithBackoff() async {
        var delay = Duration.milliseconds(50)
        defer { reconnecting = nil }
        while !closed, !Task.isCancelled, !(channelReaders.isEmpty && patternReaders.isEmpty) {
            do {
                _ = try await liveConnection()
                return
            } catch {
                logger.debug("Pub/sub reconnect failed", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: delay) } catch { return }
            delay = min(delay * 2, .seconds(2))
        }
    }
}
