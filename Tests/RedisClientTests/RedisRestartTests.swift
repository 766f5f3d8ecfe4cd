import PlaytestTestSupport
import Testing
@testable import RedisClient

/// Each test runs its own redis-server so it can stop and restart it.
@Suite("Redis server restarts and authentication", .serialized, .enabled(if: RedisServer.isAvailable, "redis-server is not installed (Debian package redis-server)"))
struct RedisRestartTests {
    @Test(.timeLimit(.minutes(1)))
    func commandsFailFastDuringAnOutageAndWorkAgainAfterwards() async throws {
        let server = try RedisServer()
        try await server.start()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url + "?timeout=2s&pool=2"))
        defer { Task { await client.shutdown() } }
        try await client.set("before", "1")

        await server.stop()
        // A pooled connection may not have noticed the server's death yet; a command caught on it
        // fails as "closed while in flight". Once the pool has dropped such connections, every
        // command fails at once with the connect error instead of waiting for a timeout.
        var lastError: (any Error)?
        for _ in 0...2 {
            do {
                try await client.ping()
                Issue.record("PING must fail while redis-server is down")
            } catch {
                lastError = error
            }
        }
        guard case .connectFailed(let endpoint, let reason)? = lastError as? RedisClientError else {
            Issue.record("expected a fast connect failure, got \(String(describing: lastError))")
            return
        }
        #expect(endpoint == "127.0.0.1:\(server.port)")
        #expect(!reason.isEmpty)
        #expect(lastError.map { "\($0)" }?.contains("Cannot connect to Redis") == true)

        try await server.start()
        try await client.ping()
        #expect(try await client.get("before") == nil, "the restarted server kept no data (--save \"\")")
        try await client.set("after", "2")
        #expect(try await client.get("after") == "2")
    }

    @Test(.timeLimit(.minutes(1)))
    func subscriptionsSurviveARestart() async throws {
        let server = try RedisServer()
        try await server.start()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url + "?timeout=2s"))
        defer { Task { await client.shutdown() } }
        let subscription = try await client.subscribe(channels: ["progress"])
        #expect(try await client.publish("progress", "first") == 1)
        #expect(await firstMessage(of: subscription)?.payloadString == "first")

        await server.stop()
        try await server.start()

        // The subscriber reconnects with backoff; PUBLISH reports 0 receivers until it has
        // subscribed again, so publish until the message is delivered to someone. The first PUBLISH may go out on
        // the pooled connection from before the restart, which fails as closed while in flight (whether it ran is
        // unknown): that is a try that did not deliver, as in the outage test above.
        var attempt = -1
        try await Deadline.wait("the subscription to come back", every: .milliseconds(25)) {
            attempt += 1
            do {
                return try await client.publish("progress", "again \(attempt)") > 0
            } catch RedisClientError.connectionClosed {
                return false
            }
        }
        #expect(await firstMessage(of: subscription)?.payloadString == "again \(attempt)")
        await subscription.cancel()
    }

    @Test func authenticatesWithUserAndPasswordFromTheURL() async throws {
        let server = try RedisServer(extraArguments: [
            "--requirepass", "defaultpass", "--user", "app", "on", ">apppass", "~*", "&*", "+@all",
        ])
        try await server.start()
        let base = "redis://127.0.0.1:\(server.port)"

        let user = RedisClient(configuration: try RedisConfiguration(url: "\(base)/2?timeout=2s"
            .replacingFirst("//", with: "//app:apppass@")))
        try await user.set("k", "v")
        #expect(try await user.send(["ACL", "WHOAMI"]).string == "app")
        #expect(try await user.send(["CLIENT", "INFO"]).string?.contains("db=2") == true)
        await user.shutdown()

        let defaultUser = RedisClient(configuration: try RedisConfiguration(url: "redis://:defaultpass@127.0.0.1:\(server.port)"))
        #expect(try await defaultUser.send(["ACL", "WHOAMI"]).string == "default")
        await defaultUser.shutdown()

        let wrong = RedisClient(configuration: try RedisConfiguration(url: "redis://app:nope@127.0.0.1:\(server.port)"))
        do {
            try await wrong.ping()
            Issue.record("a wrong password must be rejected")
        } catch let error as RedisClientError {
            guard case .connectFailed(_, let reason) = error else {
                Issue.record("expected connectFailed, got \(error)")
                return
            }
            #expect(reason.contains("WRONGPASS"), "Redis's own message reaches the caller: \(reason)")
        }
        await wrong.shutdown()

        let anonymous = RedisClient(configuration: try RedisConfiguration(url: base))
        await #expect(throws: (any Error).self) { try await anonymous.ping() }
        await anonymous.shutdown()
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
