import NIOCore

/// A batch of commands written in one go, completed when every command has its reply.
///
/// Replies come back in order, errors included as `.error` values; the caller decides which
/// error replies to throw. A transport failure fails the whole promise.
struct RedisRequest: Sendable {
    var commands: [RESPCommand]
    var promise: EventLoopPromise<[RESPValue]>
    var timeout: Duration?
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
