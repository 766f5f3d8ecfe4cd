import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("Redis LiveStore conformance run", .enabled(if: LiveStoreEngine.redisURL != nil,
    "PLAYTEST_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6390/0); the conformance suite ran against memory only"))
struct RedisConformanceGate {
    @Test func theRedisURLIsUsable() async throws {
        try await LiveStoreEngine.redis.withStore { (store: any LiveStore) async throws in
            try await store.ping()
            #expect(store.engineName == "redis")
        }
    }
}
