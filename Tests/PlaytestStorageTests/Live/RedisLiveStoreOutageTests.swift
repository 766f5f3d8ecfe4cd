import Foundation
@testable import PlaytestStorage
import PlaytestTestSupport
import RedisClient
import Testing

/// What the health check relies on: while Redis is down `ping()` says so, and once it is back the
/// same store works again without being re-created.
@Suite("RedisLiveStore across a redis-server restart", .enabled(if: RedisServer.isAvailable, "redis-server is not installed"))
struct RedisLiveStoreOutageTests {
    @Test(.timeLimit(.minutes(1)))
    func pingFailsDuringAnOutageAndTheStoreRecovers() async throws {
        let server = try await RedisServer.started()
        let store = try RedisLiveStore(url: "redis://127.0.0.1:\(server.port)/0?timeout=2s")
        defer { Task { await store.shutdown() } }
        try await store.ping()
        try await store.set("k", "v", ttl: nil)

        await server.stop()
        var lastError: (any Error)?
        for _ in 0...2 {
            do { try await store.ping() } catch { lastError = error }
        }
        guard case .unavailable(let engine, let reason)? = lastError as? LiveStoreError else {
            Issue.record("expected LiveStoreError.unavailable, got \(String(describing: lastError))")
            return
        }
        #expect(engine == "redis")
        #expect(reason.contains("connection refused"))

        try await server.start()
        try await store.ping()
        try await store.set("k", "again", ttl: nil)
        #expect(try await store.get("k") == "again")
    }
}
