import RedisClient
import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

@Suite("RedisLiveStore")
struct RedisLiveStoreTests {
    @Test func aMalformedURLNamesWhatIsWrong() {
        #expect(throws: RedisConfigurationError.badPort("http")) { try RedisLiveStore(url: "redis://localhost:http") }
        #expect(throws: RedisConfigurationError.badScheme("http")) { try RedisLiveStore(url: "http://localhost") }
    }

    @Test func pingSaysSoWhenRedisIsDown() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let store = try RedisLiveStore(url: "redis://127.0.0.1:1/0?timeout=2s")
        defer { Task { await store.shutdown() } }
        do {
            try await store.ping()
            Issue.record("ping must fail when Redis is unreachable")
        } catch let error as LiveStoreError {
            guard case .unavailable(let engine, let reason) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(engine == "redis")
            #expect(reason.contains("127.0.0.1:1"))
            #expect(reason.contains("connection refused"), "the cause is spelled out: \(reason)")
        }
        await #expect(throws: LiveStoreError.self) { try await store.get("anything") }
    }

    @Test(.enabled(if: LiveStoreEngine.redisURL != nil, "PLAYTEST_TEST_REDIS_URL is not set"))
    func keysAndChannelsAreNamespaced() async throws {
        let url = try #require(LiveStoreEngine.redisURL)
        let store = try RedisLiveStore(url: url, keyPrefix: "test:ns:")
        defer { Task { await store.shutdown() } }
        try await store.set("k", "v", ttl: .seconds(30))
        #expect(try await store.client.get("test:ns:k") == "v")
        let subscription = try await store.subscribe(["chan"])
        #expect(try await store.client.publish("test:ns:chan", "raw") == 1)
        #expect(await LiveMessages.read(subscription) { _ in true } == [LiveMessage(channel: "chan", payload: "raw")])
        await subscription.cancel()
        try await store.delete(["k"])
    }
}
