import Logging
import NIOCore

/// Matches replies to the commands that asked for them, in order, and routes push frames
/// (pub/sub messages) to `onPush`.
///
/// Decodes replies itself with a `RESPDecoder` (one `NIOSingleStepByteToMessageProcessor` per
/// connection) and sits in front of `RESPCommandEncoder` (outbound). A command
/// that gets no reply within its timeout fails with `.timeout`, and the connection is closed, since
/// the replies still owed would otherwise be matched to the wrong commands.
///
/// Every batch is completed exactly once: by its replies, its timeout or the connection's end.
/// Timeouts use one timer per connection, armed for the oldest batch's deadline, instead of one
/// timer per batch.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = [RESPCommand]

    private struct PendingBatch {
        var commands: [RESPCommand]
        var responder: RedisResponder
        var deadline: NIODeadline?
        var timeout: Duration?

        /// What to call the batch in errors.
        var label: String {
            commands.count == 1 ? commands[0].name : "a pipeline of \(commands.count) commands"
        }
    }

    private let decoder = NIOSingleStepByteToMessageProcessor(RESPDecoder())
    private var pending = CircularBuffer<PendingBatch>(initialCapacity: 16)
    /// Replies collected so far for the batch at the head of `pending`.
    private var headReplies: [RESPValue] = []
    /// Push confirmations still owed by the subscribe-style command at the head, once one arrived.
    private var confirmationsLeft: Int?
    private let endpoint: String
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private let logger: Logger
    private var closedError: (any Error)?
    private var timer: Scheduled<Void>?

    init(endpoint: String, logger: Logger, onPush: (@Sendable (RESPValue) -> Void)?) {
        self.endpoint = endpoint
        self.logger = logger
        self.onPush = onPush
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            let label = request.commands.count == 1 ? request.commands[0].name : "a pipeline of \(request.commands.count) commands"
            request.responder.fail(RedisConnectionUnusable(underlying: .connectionClosed(endpoint: endpoint, command: label)))
            promise?.fail(closedError)
            return
        }
        guard !request.commands.isEmpty else {
            request.responder.succeed([])
            promise?.succeed(())
            return
        }
        let deadline = request.timeout.map { NIODeadline.now() + TimeAmount($0) }
        if pending.isEmpty { headReplies.reserveCapacity(request.commands.count) }
        pending.append(PendingBatch(commands: request.commands, responder: request.responder, deadline: deadline, timeout: request.timeout))
        if let deadline, timer == nil { armTimer(context: context, at: deadline) }
        context.write(wrapOutboundOut(request.commands), promise: promise)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try decoder.process(buffer: unwrapInboundIn(data)) { received($0) }
        } catch {
            errorCaught(context: context, error: error)
        }
    }

    private func received(_ value: RESPValue) {
        if value.isPush, case .push(let items) = value.withoutAttributes {
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
        // Counted without copying the head batch: this runs once per reply.
        guard headReplies.count == pending[pending.startIndex].commands.count else { return }
        let head = pending.removeFirst()
        let replies = headReplies
        headReplies = []
        if let next = pending.first { headReplies.reserveCapacity(next.commands.count) }
        head.responder.succeed(replies)
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

    private func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            self.timer = nil
            self.checkDeadlines(context: context)
        }
    }

    /// The oldest batch has the earliest deadline: time it out if it passed, else wait for it.
    private func checkDeadlines(context: ChannelHandlerContext) {
        guard let oldest = pending.firstIndex(where: { $0.deadline != nil }),
              let deadline = pending[oldest].deadline else { return }
        guard deadline <= .now() else {
            armTimer(context: context, at: deadline)
            return
        }
        let late = pending.remove(at: oldest)
        if oldest == pending.startIndex { headReplies = [] }
        late.responder.fail(RedisClientError.timeout(command: late.label, after: late.timeout ?? .zero))
        failAll(RedisClientError.connectionClosed(endpoint: endpoint, command: "the command"))
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if closedError == nil { closedError = error }
        headReplies = []
        confirmationsLeft = nil
        timer?.cancel()
        timer = nil
        while let batch = pending.popFirst() {
            if case RedisClientError.connectionClosed(let endpoint, _) = error {
                batch.responder.fail(RedisClientError.connectionClosed(endpoint: endpoint, command: batch.label))
            } else {
                batch.responder.fail(error)
            }
        }
    }
}
