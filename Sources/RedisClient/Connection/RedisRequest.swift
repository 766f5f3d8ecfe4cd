import NIOCore

/// A batch of commands written in one go, completed when every command has its reply.
///
/// Replies come back in order, errors included as `.error` values; the caller decides which
/// error replies to throw. A transport failure fails the whole batch.
struct RedisRequest: Sendable {
    var commands: [RESPCommand]
    var responder: RedisResponder
    var timeout: Duration?
}

/// Who waits for a batch's replies: a future's promise, or an async caller's continuation
/// (resumed directly, without a future in between).
enum RedisResponder: Sendable {
    case promise(EventLoopPromise<[RESPValue]>)
    case continuation(UnsafeContinuation<[RESPValue], any Error>)

    func succeed(_ replies: [RESPValue]) {
        switch self {
        case .promise(let promise): promise.succeed(replies)
        case .continuation(let continuation): continuation.resume(returning: replies)
        }
    }

    func fail(_ error: any Error) {
        switch self {
        case .promise(let promise):
            // Only the async path retries unsent batches; futures get the public error.
            promise.fail((error as? RedisConnectionUnusable)?.underlying ?? error)
        case .continuation(let continuation): continuation.resume(throwing: error)
        }
    }
}

/// How the reply to one command arrives.
enum RedisReplyShape: Sendable, Equatable {
    /// One ordinary reply.
    case single
    /// (P)(UN)SUBSCRIBE in RESP3: one push confirmation per channel, or one error reply.
    case confirmations(Int)

    init(_ command: RESPCommand) {
        self = command.isSubscriptionChange ? .confirmations(max(command.argumentCount - 1, 1)) : .single
    }

    static let subscriptionCommands: Set<String> = [
        "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE",
    ]

    static let confirmationKinds: Set<String> = [
        "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
    ]
}

/// A batch that was never written because its connection had already closed; safe to send again
/// on another connection.
struct RedisConnectionUnusable: Error {
    var underlying: RedisClientError
}
