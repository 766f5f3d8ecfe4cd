import Foundation
import RedisClient
import Testing
@testable import PlaytestStorage

/// The `LiveStore` implementations the conformance suite runs against.
enum LiveStoreEngine: String, Sendable, CustomTestStringConvertible {
    case memory
    case redis

    static let redisURL = ProcessInfo.processInfo.environment["PLAYTEST_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Memory always; Redis only when `PLAYTEST_TEST_REDIS_URL` is set (CI always sets it).
    static var available: [LiveStoreEngine] { redisURL == nil ? [.memory] : [.memory, .redis] }

    static let bufferSize = 16

    var testDescription: String { rawValue }

    /// Runs `body` against a fresh store. Redis stores get a unique key prefix, and their keys are
    /// deleted afterwards.
    func withStore(_ body: (any LiveStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            let store = MemoryLiveStore(sweepInterval: .milliseconds(20), subscriberBufferSize: Self.bufferSize)
            do {
                try await body(store)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        case .redis:
            var configuration = try RedisConfiguration(url: Self.redisURL ?? "")
            configuration.subscriberBufferSize = Self.bufferSize
            let store = RedisLiveStore(configuration: configuration, keyPrefix: "test:live:\(UUID().uuidString):")
            do {
                try await body(store)
            } catch {
                await Self.cleanUp(store)
                throw error
            }
            await Self.cleanUp(store)
        }
    }

    private static func cleanUp(_ store: RedisLiveStore) async {
        var cursor = "0"
        repeat {
            guard let reply = try? await store.client.send(["SCAN", cursor, "MATCH", store.keyPrefix + "*", "COUNT", "1000"]),
                  let parts = reply.array, parts.count == 2, let next = parts[0].string else { break }
            let keys = parts[1].array?.compactMap(\.string) ?? []
            if !keys.isEmpty { _ = try? await store.client.delete(keys) }
            cursor = next
        } while cursor != "0"
        await store.shutdown()
    }
}

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

/// Helpers shared by the live store tests.
enum LiveTest {
    /// Reads messages until `predicate` holds for one of them (the test's time limit guards a hang).
    static func messages(of subscription: LiveSubscription, until predicate: (LiveMessage) -> Bool) async -> [LiveMessage] {
        var received: [LiveMessage] = []
        for await message in subscription.messages {
            received.append(message)
            if predicate(message) { break }
        }
        return received
    }

    /// Polls `condition` until it holds or `deadline` passes; for things that happen in the
    /// background (key expiry, sweeps), never to measure time.
    static func eventually(within deadline: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}
