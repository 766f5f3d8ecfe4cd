import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

/// The rate limits' token bucket, on every engine: full at first, empty after `capacity` takes, refilled with time,
/// and shared by everyone who uses the same key.
@Suite("Token buckets")
struct TokenBucketTests {
    @Test(arguments: LiveStoreEngine.available)
    func drainsAndRefuses(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            // One token per hour: nothing refills while the test runs.
            let perSecond = 1.0 / 3600
            var results: [TokenBucketResult] = []
            for _ in 0..<4 { results.append(try await store.takeToken("bucket", capacity: 3, perSecond: perSecond)) }
            #expect(results.map(\.allowed) == [true, true, true, false])
            #expect(results.map(\.remaining) == [2, 1, 0, 0])
            #expect(results[3].retryAfter > 3000 && results[3].retryAfter <= 3600, "a whole token is an hour away")
            #expect(results[3].resetAfter > results[3].retryAfter)
            let other = try await store.takeToken("another", capacity: 3, perSecond: perSecond)
            #expect(other.allowed && other.remaining == 2, "buckets are per key")
            #expect(try await store.ttl("bucket") != nil, "a bucket expires once it would be full again")
            await #expect(throws: LiveStoreError.self) { try await store.takeToken("bad", capacity: 0, perSecond: 1) }
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func refills(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            // 1000 tokens a second: an emptied bucket of 2 has a token again within milliseconds.
            _ = try await store.takeToken("fast", capacity: 2, perSecond: 1000)
            _ = try await store.takeToken("fast", capacity: 2, perSecond: 1000)
            try await Deadline.wait("a token to come back") { try await store.takeToken("fast", capacity: 2, perSecond: 1000).allowed }
        }
    }
}
