/// One in-process subscription of a `MemoryLiveStore`.
struct MemorySubscriber: Sendable {
    var channels: Set<String>
    var continuation: AsyncStream<LiveMessage>.Continuation
}

extension MemoryLiveStore {
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        let delivery = LiveMessage(channel: channel, payload: message)
        var receivers = 0
        for subscriber in subscribers.values where subscriber.channels.contains(channel) {
            // Never waits: a full buffer drops its oldest message instead.
            subscriber.continuation.yield(delivery)
            receivers += 1
        }
        return receivers
    }

    public func subscribe(_ channels: [String]) async throws -> LiveSubscription {
        let id = nextSubscriberID
        nextSubscriberID += 1
        let (stream, continuation) = AsyncStream.makeStream(
            of: LiveMessage.self,
            bufferingPolicy: .bufferingNewest(subscriberBufferSize)
        )
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        subscribers[id] = MemorySubscriber(channels: Set(channels), continuation: continuation)
        return LiveSubscription(messages: stream, onCancel: { [weak self] in
            await self?.unsubscribe(id)
        })
    }

    private func unsubscribe(_ id: UInt64) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }
}
