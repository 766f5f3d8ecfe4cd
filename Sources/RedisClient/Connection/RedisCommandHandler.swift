import Logging
import NIOCore

/// Matches replies to the commands that asked for them, in order, and routes push frames
/// (pub/sub messages) to `onPush`.
///
/// Sits behind `RESPDecoder` (inbound) and in front of `RESPCommandEncoder` (outbound). A command
/// that gets no reply within its timeout fails with `.timeout`, and the connection is closed, since
/// the replies still owed would otherwise be matched to the wrong commands.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = [RESPCommand]

    private struct PendingBatch {
        var commands: [RESPCommand]
        var promise: EventLoopPromise<[RESPValue]>
        var timer: Scheduled<Void>?

        /// What to call the batch in errors.
        var label: String {
            commands.count == 1 ? commands[0].name : "a pipeline of \(commands.count) commands"
        }
    }

    private var pending = CircularBuffer<PendingBatch>(initialCapacity: 16)
    /// Replies collected so far for the batch at the head of `pending`.
    private var headReplies: [RESPValue] = []
    /// Push confirmations still owed by the subscribe-style command at the head, once one arrived.
    private var confirmationsLeft: Int?
    private let endpoint: String
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private let logger: Logger
    private var closedError: (any Error)?

    init(endpoint: String, logger: Logger, onPush: (@Sendable (RESPValue) -> Void)?) {
        self.endpoint = endpoint
        self.logger = logger
        self.onPush = onPush
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            request.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        guard !request.commands.isEmpty else {
            request.promise.succeed([])
            promise?.succeed(())
            return
        }
        var batch = PendingBatch(commands: request.commands, promise: request.promise, timer: nil)
        if let timeout = request.timeout {
            let futureResult = request.promise.futureResult
            batch.timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
                self.timedOut(context: context, batch: futureResult, after: timeout)
            }
        }
        if pending.isEmpty { headReplies.reserveCapacity(request.commands.count) }
        pending.append(batch)
        context.write(wrapOutboundOut(request.commands), promise: promise)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if case .push(let items) = value.withoutAttributes {
            let kind = items.first?.string?.lowercased() ?? ""
            if RedisReplyShape.confirmationKinds.contains(kind), consumeConfirmation(value) {
                return
            }
            onPush?(value)
            return
        }
        guard !pending.isEmpty else {
            logger.debug("Redis sent a reply nobody asked for", metadata: ["redis.endpoint": "\(endpoint)"])
            return
        }
        deliver(value)
    }

    /// Counts a subscribe-style confirmation towards the command at the head; false if none waits.
    private func consumeConfirmation(_ value: RESPValue) -> Bool {
        guard let head = pending.first, headReplies.count < head.commands.count,
              case .confirmations(let expected) = RedisReplyShape(head.commands[headReplies.count]) else { return false }
        let left = (confirmationsLeft ?? expected) - 1
        if left > 0 {
            confirmationsLeft = left
        } else {
            deliver(value)
        }
        return true
    }

    private func deliver(_ value: RESPValue) {
        headReplies.append(value)
        confirmationsLeft = nil
        guard let head = pending.first, headReplies.count == head.commands.count else { return }
        pending.removeFirst()
        let replies = headReplies
        headReplies = []
        if let next = pending.first { headReplies.reserveCapacity(next.commands.count) }
        head.timer?.cancel()
        head.promise.succeed(replies)
    }

    // MARK: failure

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisClientError.connectionClosed(endpoint: endpoint, command: "the command"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("Redis connection error", metadata: ["redis.endpoint": "\(endpoint)", "error": "\(error)"])
        failAll(error)
        context.close(promise: nil)
    }

    private func timedOut(context: ChannelHandlerContext, batch: EventLoopFuture<[RESPValue]>, after timeout: Duration) {
        guard let index = pending.firstIndex(where: { $0.promise.futureResult === batch }) else { return }
        let late = pending.remove(at: index)
        if index == pending.startIndex { headReplies = [] }
        late.promise.fail(RedisClientError.timeout(command: late.label, after: timeout))
        failAll(RedisClientError.connectionClosed(endpoint: endpoint, command: "the command"))
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if closedError == nil { closedError = error }
        headReplies = []
        confirmationsLeft = nil
        while let batch = pending.popFirst() {
            batch.timer?.cancel()
            if case RedisClientError.connectionClosed(let endpoint, _) = error {
                batch.promise.fail(RedisClientError.connectionClosed(endpoint: endpoint, command: batch.label))
            } else {
                batch.promise.fail(error)
            }
        }
    }
}
