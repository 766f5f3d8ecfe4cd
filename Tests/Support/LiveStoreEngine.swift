import Foundation
import PlaytestStorage
import RedisClient

/// The `LiveStore` implementations the live state tests run against.
public enum LiveStoreEngine: String, Sendable, CustomStringConvertible {
    case memory
    case redis

    public static let redisURL = ProcessInfo.processInfo.environment["PLAYTEST_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Memory always; Redis only when `PLAYTEST_TEST_REDIS_URL` is set (CI always sets it).
    public static var available: [LiveStoreEngine] { redisURL == nil ? [.memory] : [.memory, .redis] }

    public static let bufferSize = 16

    public var description: String { rawValue }

    /// Runs `body` against a fresh store. Redis stores get a unique key prefix, and their keys are
    /// deleted afterwards.
    public func withStore(_ body: (any LiveStore) async throws -> Void) async throws {
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


/// Reading what a subscription receives.
public enum LiveMessages {
    /// Messages until `predicate` holds for one of them (the test's time limit guards a hang).
    public static func read(_ subscription: LiveSubscription, until predicate: (LiveMessage) -> Bool) async -> [LiveMessage] {
        var received: [LiveMessage] = []
        for await message in subscription.messages {
            received.append(message)
            if predicate(message) { break }
        }
        return received
    }
}
