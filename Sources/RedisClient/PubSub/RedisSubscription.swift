import NIOCore

/// One message received on a subscribed channel.
public struct RedisPubSubMessage: Sendable, Hashable {
    public var channel: String
    /// The pattern that matched, for `subscribe(patterns:)`; nil for plain channels.
    public var pattern: String?
    public var payload: ByteBuffer

    public init(channel: String, pattern: String?, payload: ByteBuffer) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    public var payloadString: String { String(buffer: payload) }
}

/// A live subscription: iterate `messages`; `cancel()` (or ending the iteration) unsubscribes.
///
/// Messages are buffered per subscription up to `RedisConfiguration.subscriberBufferSize`; beyond
/// that the oldest are dropped, so a slow reader never holds up the connection or other readers.
/// Messages published while the pub/sub connection is down are lost (Redis pub/sub is
/// at-most-once); the subscription itself survives and resumes after the reconnect.
public struct RedisSubscription: Sendable {
    public let messages: AsyncStream<RedisPubSubMessage>
    private let onCancel: @Sendable () async -> Void

    init(messages: AsyncStream<RedisPubSubMessage>, onCancel: @escaping @Sendable () async -> Void) {
        self.messages = messages
        self.onCancel = onCancel
    }

    public func cancel() async { await onCancel() }
}
