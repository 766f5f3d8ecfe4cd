import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

// The time limit guards a hang only: the whole suite runs in parallel on 2 shared cores.
@Suite("LiveStore conformance: publish/subscribe", .timeLimit(.minutes(5)))
struct LiveStorePubSubTests {
    @Test(arguments: LiveStoreEngine.available)
    func subscribersReceiveWhatIsPublishedOnTheirChannels(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            #expect(try await store.publish("run:1", "nobody listens") == 0)
            let both = try await store.subscribe(["run:1", "run:2"])
            let one = try await store.subscribe(["run:2"])
            #expect(try await store.publish("run:1", "a") >= 1)
            #expect(try await store.publish("run:3", "elsewhere") == 0)
            #expect(try await store.publish("run:2", "b") >= 1)
            let received = await LiveMessages.read(both) { $0.payload == "b" }
            #expect(received == [LiveMessage(channel: "run:1", payload: "a"), LiveMessage(channel: "run:2", payload: "b")])
            #expect(await LiveMessages.read(one) { $0.payload == "b" } == [LiveMessage(channel: "run:2", payload: "b")])
            await both.cancel()
            await one.cancel()
            #expect(try await store.publish("run:2", "after cancel") == 0, "cancelled subscriptions are released")
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func cancellingEndsTheStream(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            let subscription = try await store.subscribe(["ticks"])
            await subscription.cancel()
            var iterator = subscription.messages.makeAsyncIterator()
            #expect(await iterator.next() == nil)
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func aSlowSubscriberNeverBlocksPublishers(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            let slow = try await store.subscribe(["flood"])
            let other = try await store.subscribe(["quiet"])
            let count = 20 * LiveStoreEngine.bufferSize
            for index in 0..<count {
                try await store.publish("flood", "m\(index)")
            }
            // Publishing finished although nobody read; another channel still flows.
            try await store.publish("quiet", "still here")
            #expect(await LiveMessages.read(other) { _ in true }.first?.payload == "still here")

            let kept = await LiveMessages.read(slow) { $0.payload == "m\(count - 1)" }
            #expect(kept.last?.payload == "m\(count - 1)", "the newest message is kept")
            // Memory holds one buffer; Redis holds the client's buffer and the store's relay buffer.
            #expect(kept.count <= 2 * LiveStoreEngine.bufferSize + 1, "old messages were dropped, got \(kept.count)")
            let indexes = kept.compactMap { Int($0.payload.dropFirst()) }
            #expect(indexes == indexes.sorted(), "what is kept stays in order")
            await slow.cancel()
            await other.cancel()
        }
    }
}
