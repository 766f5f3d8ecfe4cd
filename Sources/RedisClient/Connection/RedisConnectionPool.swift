import Logging
import NIOCore

/// A bounded set of command connections.
///
/// `lease` hands out an idle connection, opens a new one while fewer than `size` exist, or waits
/// (in FIFO order, at most the command timeout) for one to come back. A connection that broke is
/// dropped when it comes back or is found idle, and a fresh one replaces it on demand, so the pool
/// heals by itself after redis-server restarts. While Redis is down, `lease` fails fast with the
/// connect error rather than waiting.
actor RedisConnectionPool {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<RedisConnection, any Error>
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var idle: [RedisConnection] = []
    /// Open connections plus connections being opened.
    private var total = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var closed = false

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    func lease() async throws -> RedisConnection {
        guard !closed else { throw RedisClientError.clientClosed }
        while let connection = idle.popLast() {
            if connection.isActive { return connection }
            total -= 1
        }
        if total < configuration.poolSize {
            total += 1
            do {
                return try await open()
            } catch {
                total -= 1
                throw error
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let timeout = configuration.commandTimeout
        eventLoopGroup.any().scheduleTask(in: TimeAmount(timeout)) { [weak self] in
            Task { await self?.expireWaiter(id) }
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiters.append(Waiter(id: id, continuation: continuation))
        }
    }

    /// Returns a connection. `discard` (after a transport error or timeout) closes it instead,
    /// since it may still owe replies.
    func release(_ connection: RedisConnection, discard: Bool = false) {
        guard !closed, !discard else {
            total -= 1
            Task { await connection.close() }
            if !closed { replaceForWaiter() }
            return
        }
        guard connection.isActive else {
            total -= 1
            replaceForWaiter()
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().continuation.resume(returning: connection)
        }
    }

    func close() async {
        closed = true
        for waiter in waiters { waiter.continuation.resume(throwing: RedisClientError.clientClosed) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        total -= connections.count
        for connection in connections { await connection.close() }
    }

    /// A broken connection left a slot free: open a new one for the first waiter, if any.
    private func replaceForWaiter() {
        guard !waiters.isEmpty else { return }
        total += 1
        Task {
            do {
                let connection = try await open()
                handOver(connection)
            } catch {
                total -= 1
                if !waiters.isEmpty { waiters.removeFirst().continuation.resume(throwing: error) }
            }
        }
    }

    private func handOver(_ connection: RedisConnection) {
        if waiters.isEmpty {
            release(connection)
        } else {
            waiters.removeFirst().continuation.resume(returning: connection)
        }
    }

    private func expireWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(
            throwing: RedisClientError.poolExhausted(size: configuration.poolSize, after: configuration.commandTimeout)
        )
    }

    private func open() async throws -> RedisConnection {
        try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger)
    }
}
