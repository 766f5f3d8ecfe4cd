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
        var names: [String]
        var shapes: [RedisReplyShape]
        var replies: [RESPValue]
        var confirmationsLeft: Int?
        var promise: EventLoopPromise<[RESPValue]>
        var timer: Scheduled<Void>?
    }

    private var pending = CircularBuffer<PendingBatch>(initialCapacity: 16)
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
        var batch = PendingBatch(
            names: request.commands.map(\.name),
            shapes: request.commands.map(RedisReplyShape.init),
            replies: [],
            confirmationsLeft: nil,
            promise: request.promise,
            timer: nil
        )
        batch.replies.reserveCapacity(request.commands.count)
        if let timeout = request.timeout {
            let futureResult = request.promise.futureResult
            batch.timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
                self.timedOut(context: context, batch: futureResult, after: timeout)
            }
        }
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
        guard let head = pending.first, head.replies.count < head.shapes.count,
              case .confirmations(let expected) = head.shapes[head.replies.count] else { return false }
        let left = (head.confirmationsLeft ?? expected) - 1
        if left > 0 {
            pending[pending.startIndex].confirmationsLeft = left
        } else {
            deliver(value)
        }
        return true
    }

    private func deliver(_ value: RESPValue) {
        pending[pending.startIndex].replies.append(value)
        pending[pending.startIndex].confirmationsLeft = nil
        let head = pending[pending.startIndex]
        if head.replies.count == head.shapes.count {
            let batch = pending.removeFirst()
            batch.timer?.cancel()
            batch.promise.succeed(batch.replies)
        }
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
        let name = late.names.count == 1 ? late.names[0] : "a pipeline of \(late.names.count) commands"
        late.promise.fail(RedisClientError.timeout(command: name, after: timeout))
        failAll(RedisClientError.connectionClosed(endpoint: endpoint, command: "the command"))
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if closedError == nil { closedError = error }
        while let batch = pending.popFirst() {
            batch.timer?.cancel()
            let name = batch.names.count == 1 ? batch.names[0] : "a pipeline of \(batch.names.count) commands"
            if case RedisClientError.connectionClosed(let endpoint, _) = error {
                batch.promise.fail(RedisClientError.connectionClosed(endpoint: endpoint, command: name))
            } else {
                batch.promise.fail(error)
            }
        }
    }
}
