import Foundation
import Logging
import NIOCore

/// A bounded set of command connections.
///
/// `lease` hands out an idle connection, opens a new one while fewer than `size` exist, or waits
/// (in FIFO order, at most the command timeout) for one to come back. A connection that broke is
/// dropped when it comes back or is found idle, and a fresh one replaces it on demand, so the pool
/// heals by itself after redis-server restarts. While Redis is down, `lease` fails fast with the
/// connect error rather than waiting.
///
/// The bookkeeping sits behind a lock rather than in an actor: leasing and returning are a few
/// instructions on the hot path of every command, and must not cost an executor hop each.
final class RedisConnectionPool: @unchecked Sendable {
    /// What a waiter is given: a connection, or the right to open one (a slot came free).
    private enum Grant {
        case connection(RedisConnection)
        case open
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Grant, any Error>
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`:
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
        let grant: Grant? = try lock.withLock {
            guard !closed else { throw RedisClientError.clientClosed }
            return takeIdleOrSlot()
        }
        switch grant {
        case .connection(let connection): return connection
        case .open: return try await openInSlot()
        case nil: break
        }
        let id = lock.withLock {
            nextWaiterID += 1
            return nextWaiterID
        }
        let timeout = configuration.commandTimeout
        eventLoopGroup.any().scheduleTask(in: TimeAmount(timeout)) { [weak self] in
            self?.expireWaiter(id)
        }
        let waited = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
            // Check again under the lock: something may have come back since the first look.
            let immediate: Result<Grant, any Error>? = lock.withLock {
                if closed { return .failure(RedisClientError.clientClosed) }
                if let grant = takeIdleOrSlot() { return .success(grant) }
                waiters.append(Waiter(id: id, continuation: continuation))
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
        switch waited {
        case .connection(let connection): return connection
        case .open: return try await openInSlot()
        }
    }

    /// Returns a connection. `discard` (after a transport error or timeout) closes it instead,
    /// since it may still owe replies.
    func release(_ connection: RedisConnection, discard: Bool = false) {
        enum Outcome {
            case keep
            case close(handOverSlotTo: Waiter?)
            case handOver(Waiter)
        }
        let outcome: Outcome = lock.withLock {
            if closed || discard || !connection.isActive {
                total -= 1
                guard !closed, !waiters.isEmpty else { return .close(handOverSlotTo: nil) }
                total += 1
                return .close(handOverSlotTo: waiters.removeFirst())
            }
            if waiters.isEmpty {
                idle.append(connection)
                return .keep
            }
            return .handOver(waiters.removeFirst())
        }
        switch outcome {
        case .keep:
            break
        case .handOver(let waiter):
            waiter.continuation.resume(returning: .connection(connection))
        case .close(let waiter):
            if connection.isActive { connection.channel.close(promise: nil) }
            waiter?.continuation.resume(returning: .open)
        }
    }

    func close() async {
        let (waiting, connections): ([Waiter], [RedisConnection]) = lock.withLock {
            closed = true
            defer {
                waiters.removeAll()
                idle.removeAll()
            }
            total -= idle.count
            return (waiters, idle)
        }
        for waiter in waiting { waiter.continuation.resume(throwing: RedisClientError.clientClosed) }
        for connection in connections { await connection.close() }
    }

    /// Under the lock: an idle live connection, or a reserved slot to open one, or nil (must wait).
    private func takeIdleOrSlot() -> Grant? {
        while let connection = idle.popLast() {
            if connection.isActive { return .connection(connection) }
            total -= 1
        }
        guard total < configuration.poolSize else { return nil }
        total += 1
        return .open
    }

    /// Opens a connection in a slot already counted in `total`; gives the slot back on failure.
    private func openInSlot() async throws -> RedisConnection {
        do {
            return try await RedisConnection.connect(
                configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger
            )
        } catch {
            let waiter: Waiter? = lock.withLock {
                total -= 1
                guard !waiters.isEmpty else { return nil }
                total += 1
                return waiters.removeFirst()
            }
            // The next waiter tries for itself (and fails fast too if Redis is still down).
            waiter?.continuation.resume(returning: .open)
            throw error
        }
    }

    private func expireWaiter(_ id: UInt64) {
        let expired: Waiter? = lock.withLock {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: index)
        }
        expired?.continuation.resume(
            throwing: RedisClientError.poolExhausted(size: configuration.poolSize, after: configuration.commandTimeout)
        )
    }
}
