import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

/// The rate limits' token bucket, on every engine: full at first, empty after `capacity` takes, refilled with time,
/// and shared by everyone who uses the same key; several buckets are taken from together or not at all.
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

    @Test(arguments: LiveStoreEngine.available)
    func severalBucketsInOneStep(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            let perSecond = 1.0 / 3600
            let user = TokenBucket(key: "user", capacity: 1, perSecond: perSecond)
            let address = TokenBucket(key: "address", capacity: 3, perSecond: perSecond)
            let first = try await store.takeTokens([user, address])
            #expect(first.map(\.allowed) == [true, true])
            #expect(first.map(\.remaining) == [0, 2])
            // The user's bucket is empty: the request is refused and the address's bucket keeps its tokens.
            let refused = try await store.takeTokens([user, address])
            #expect(refused.map(\.allowed) == [false, false])
            #expect(refused.map(\.remaining) == [0, 2])
            #expect(try await store.takeToken("address", capacity: 3, perSecond: perSecond).remaining == 1)
            #expect(try await store.takeTokens([]).isEmpty)
            await #expect(throws: LiveStoreError.self) {
                try await store.takeTokens([address, TokenBucket(key: "bad", capacity: 1, perSecond: 0)])
            }
            #expect(try await store.takeToken("address", capacity: 3, perSecond: perSecond).remaining == 0,
                    "an invalid bucket in a call takes nothing from the others")
        }
    }
}

