import PlaytestStorage

/// The messages of the live channels one subscriber follows, as wire text (`RunLiveMessage.json()`), until it is
/// cancelled.
public struct LiveFeed: Sendable {
    let subscription: LiveSubscription

    init(_ subscription: LiveSubscription) {
        self.subscription = subscription
    }

    /// Each message's text, in the order it was published. Read it once.
    public var messages: AsyncStream<String> {
        let source = subscription.messages
        return AsyncStream { continuation in
            let forwarding = Task {
                for await message in source { continuation.yield(message.payload) }
                continuation.finish()
            }
            continuation.onTermination = { _ in forwarding.cancel() }
        }
    }

    public func cancel() async {
        await subscription.cancel()
    }
}
