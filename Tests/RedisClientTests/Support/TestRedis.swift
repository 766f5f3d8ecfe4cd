import Foundation
import RedisClient
import Testing

/// The shared test server from `PLAYTEST_TEST_REDIS_URL` (CI always sets it).
enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["PLAYTEST_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { url != nil }
    static let skipReason: Comment =
        "PLAYTEST_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6390/0); Redis integration tests skipped"

    static func configuration() throws -> RedisConfiguration {
        try RedisConfiguration(url: url ?? "")
    }

    static func client(_ adjust: (inout RedisConfiguration) -> Void = { _ in }) throws -> RedisClient {
        var configuration = try configuration()
        adjust(&configuration)
        return RedisClient(configuration: configuration)
    }

    /// A key no other test (or earlier run) uses.
    static func key(_ name: String = #function) -> String {
        "test:redisclient:\(name.prefix { $0 != "(" }):\(UUID().uuidString)"
    }
}

/// Waits for the first message of a subscription (the test's time limit guards against a hang).
func firstMessage(of subscription: RedisSubscription) async -> RedisPubSubMessage? {
    var iterator = subscription.messages.makeAsyncIterator()
    return await iterator.next()
}
