import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

@Suite("MemoryLiveStore")
struct MemoryLiveStoreTests {
    @Test func theSweepReclaimsExpiredKeysNobodyReads() async throws {
        let store = MemoryLiveStore(sweepInterval: .milliseconds(10))
        for index in 0..<100 {
            try await store.set("k\(index)", "v", ttl: .seconds(5))
        }
        try await store.set("keep", "v", ttl: nil)
        #expect(await store.storedKeyCount == 101)
        // Nobody reads the expired keys: only the sweep can remove them.
        try await Deadline.wait("the sweep to drop expired keys", within: .seconds(90)) { await store.storedKeyCount == 1 }
        #expect(try await store.get("keep") == "v")
        await store.shutdown()
    }

    @Test func emptiedCollectionsDisappear() async throws {
        let store = MemoryLiveStore()
        try await store.setAdd("s", members: ["a"])
        try await store.setRemove("s", members: ["a"])
        try await store.sortedSetAdd("z", member: "a", score: 1)
        try await store.sortedSetRemove("z", members: ["a"])
        #expect(await store.storedKeyCount == 0)
        try await store.set("s", "now a string", ttl: nil)
        #expect(try await store.get("s") == "now a string")
        await store.shutdown()
    }

    @Test func shutdownEndsSubscriptions() async throws {
        let store = MemoryLiveStore()
        let subscription = try await store.subscribe(["c"])
        await store.shutdown()
        var iterator = subscription.messages.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}
