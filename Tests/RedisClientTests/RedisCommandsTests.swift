import NIOCore
import Testing
@testable import RedisClient

@Suite("Redis commands against a real server", .enabled(if: TestRedis.isAvailable, TestRedis.skipReason))
struct RedisCommandsTests {
    @Test func pingAndStrings() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        try await client.ping()
        #expect(try await client.get(key) == nil)
        #expect(try await client.set(key, "héllo"))
        #expect(try await client.get(key) == "héllo")
        #expect(try await client.set(key, "other", condition: .ifNotExists) == false, "NX keeps the old value")
        #expect(try await client.get(key) == "héllo")
        #expect(try await client.delete([key, key + ":missing"]) == 1)
        #expect(try await client.set(key, "new", condition: .ifExists) == false, "XX needs an existing key")
    }

    @Test func expiry() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        #expect(try await client.timeToLive(key) == .keyMissing)
        try await client.set(key, "v")
        #expect(try await client.timeToLive(key) == .noExpiry)
        #expect(try await client.ttlSeconds(key) == -1)
        #expect(try await client.expire(key, seconds: 100))
        #expect(try await client.ttlSeconds(key) > 90)
        #expect(try await client.expire(key, after: .milliseconds(50_000)))
        let left = try #require(try await client.timeToLive(key).duration)
        #expect(left > .seconds(40) && left <= .seconds(50))
        try await client.set(key + ":px", "v", expiration: .milliseconds(60_000))
        #expect(try await client.timeToLive(key + ":px").duration ?? .zero > .seconds(50))
        try await client.set(key + ":ex", "v", expiration: .seconds(60))
        #expect(try await client.ttlSeconds(key + ":ex") > 50)
        #expect(try await client.expire(key + ":missing", seconds: 5) == false)
        try await client.delete([key, key + ":px", key + ":ex"])
    }

    @Test func counters() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        #expect(try await client.increment(key, by: 5) == 5)
        #expect(try await client.increment(key, by: -7) == -2)
        #expect(try await client.increment(key + ":f", byFloat: 1.5) == 1.5)
        #expect(try await client.increment(key + ":f", byFloat: 0.25) == 1.75)
        try await client.delete([key, key + ":f"])
    }

    @Test func hashes() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        #expect(try await client.hgetall(key) == [:])
        #expect(try await client.hset(key, ["a": "1", "b": "2"]) == 2)
        #expect(try await client.hset(key, ["b": "3"]) == 0)
        #expect(try await client.hget(key, field: "b") == "3")
        #expect(try await client.hget(key, field: "zz") == nil)
        #expect(try await client.hgetall(key) == ["a": "1", "b": "3"])
        #expect(try await client.hdel(key, fields: ["a", "nope"]) == 1)
        #expect(try await client.hgetall(key) == ["b": "3"])
        try await client.delete([key])
    }

    @Test func lists() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        #expect(try await client.lpush(key, ["a", "b", "c"]) == 3)
        #expect(try await client.rpush(key, ["z"]) == 4)
        #expect(try await client.lrange(key, start: 0, stop: -1) == ["c", "b", "a", "z"])
        try await client.ltrim(key, start: 0, stop: 1)
        #expect(try await client.lrange(key, start: 0, stop: -1) == ["c", "b"])
        try await client.delete([key])
    }

    @Test func sortedSets() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        let added = try await client.zadd(key, [
            RedisScoredMember(member: "ann", score: 10), RedisScoredMember(member: "bob", score: 30),
            RedisScoredMember(member: "cid", score: 20),
        ])
        #expect(added == 3)
        #expect(try await client.zincrby(key, member: "ann", by: 25.5) == 35.5)
        #expect(try await client.zscore(key, member: "ann") == 35.5)
        #expect(try await client.zscore(key, member: "nobody") == nil)
        #expect(try await client.zrank(key, member: "cid") == 0)
        #expect(try await client.zrank(key, member: "ann", reverse: true) == 0)
        #expect(try await client.zrank(key, member: "nobody") == nil)
        #expect(try await client.zrange(key, start: 0, stop: -1).map(\.member) == ["cid", "bob", "ann"])
        #expect(try await client.zrange(key, start: 0, stop: 0, reverse: true)
            == [RedisScoredMember(member: "ann", score: 35.5)])
        let byScore = try await client.zrangeByScore(key, min: .inclusive(20), max: .exclusive(35.5))
        #expect(byScore.map(\.member) == ["cid", "bob"])
        let limited = try await client.zrangeByScore(key, min: .inclusive(-.infinity), max: .inclusive(.infinity),
                                                     reverse: true, limit: (offset: 1, count: 1))
        #expect(limited.map(\.member) == ["bob"])
        #expect(try await client.zrem(key, ["bob", "nobody"]) == 1)
        try await client.delete([key])
    }

    @Test func sets() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        #expect(try await client.sadd(key, ["x", "y", "x"]) == 2)
        #expect(try await client.sismember(key, "x"))
        #expect(try await client.sismember(key, "q") == false)
        #expect(try await client.smembers(key) == ["x", "y"])
        #expect(try await client.srem(key, ["x", "q"]) == 1)
        #expect(try await client.smembers(key) == ["y"])
        try await client.delete([key])
    }

    @Test func errorRepliesCarryRedisMessage() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        try await client.set(key, "text")
        do {
            try await client.lpush(key, ["x"])
            Issue.record("LPUSH on a string must fail")
        } catch let error as RedisServerError {
            #expect(error.code == "WRONGTYPE")
            #expect(error.message.contains("wrong kind of value"))
            #expect(error.command == "LPUSH")
        }
        await #expect(throws: RedisServerError.self) { try await client.send(["NOSUCHCOMMAND"]) }
        try await client.ping()
        try await client.delete([key])
    }

    @Test func genericSendReturnsRESP3Types() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        try await client.hset(key, ["f": "v"])
        let map = try await client.send(["HGETALL", key])
        #expect(map == .map([RESPPair(key: .bulk("f"), value: .bulk("v"))]), "RESP3 maps after HELLO 3")
        try await client.zadd(key + ":z", [RedisScoredMember(member: "m", score: 1.5)])
        #expect(try await client.send([RESPValue.bulk("ZSCORE"), .bulk(key + ":z"), .bulk("m")]) == .double(1.5))
        #expect(try await client.send(["SISMEMBER", key + ":s", "x"]) == .integer(0))
        try await client.delete([key, key + ":z"])
    }

    @Test func pipelineSendsABatchAndKeepsOrder() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        var commands = (0..<100).map { RESPCommand("SET", "\(key):\($0)", "v\($0)") }
        commands.append(RESPCommand("HSET", "\(key):0", "f", "v"))
        commands += (0..<100).map { RESPCommand("GET", "\(key):\($0)") }
        let replies = try await client.pipeline(commands)
        #expect(replies.count == 201)
        #expect(replies[0..<100].allSatisfy { $0 == .simpleString("OK") })
        #expect(replies[100].errorMessage?.hasPrefix("WRONGTYPE") == true, "an error stays in its slot")
        #expect(replies[101...].map(\.string) == (0..<100).map { "v\($0)" })
        try await client.delete((0..<100).map { "\(key):\($0)" })
    }

    @Test func transaction() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        let results = try await client.transaction([
            RESPCommand("INCRBY", key, "3"), RESPCommand("INCRBY", key, "4"), RESPCommand("GET", key),
        ])
        #expect(results == [.integer(3), .integer(7), .bulk("7")])
        try await client.delete([key])
    }

    @Test func selectsTheDatabaseFromTheURL() async throws {
        let base = try TestRedis.configuration()
        let other = RedisClient(configuration: {
            var configuration = base
            configuration.database = base.database == 5 ? 6 : 5
            return configuration
        }())
        let main = RedisClient(configuration: base)
        defer { Task { await other.shutdown(); await main.shutdown() } }
        let key = TestRedis.key()
        try await other.set(key, "elsewhere")
        #expect(try await main.get(key) == nil, "a key set in another database is invisible")
        #expect(try await other.get(key) == "elsewhere")
        try await other.delete([key])
    }

    @Test func manyConcurrentCallersShareABoundedPool() async throws {
        // A generous wait: the whole test suite runs in parallel on 2 shared cores.
        let client = try TestRedis.client {
            $0.poolSize = 3
            $0.commandTimeout = .seconds(60)
        }
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { try await client.increment(key, by: 1) }
            }
            try await group.waitForAll()
        }
        #expect(try await client.get(key) == "200")
        let clients = try await client.send(["CLIENT", "LIST"]).string ?? ""
        #expect(clients.split(separator: "\n").filter { $0.contains("name=playtest") }.count >= 1)
        try await client.delete([key])
    }

    @Test func commandTimeoutFailsAndTheClientRecovers() async throws {
        let client = try TestRedis.client { $0.commandTimeout = .seconds(1) }
        defer { Task { await client.shutdown() } }
        let key = TestRedis.key()
        try await client.ping()
        do {
            try await client.send(["BLPOP", key, "30"])
            Issue.record("BLPOP for 30 s must time out after 1 s")
        } catch let error as RedisClientError {
            guard case .timeout(let command, let after) = error else {
                Issue.record("expected a timeout, got \(error)")
                return
            }
            #expect(command == "BLPOP")
            #expect(after == .seconds(1))
        }
        try await client.ping()
    }

    @Test func aKilledConnectionIsReplaced() async throws {
        let client = try TestRedis.client { $0.poolSize = 1 }
        let admin = try TestRedis.client()
        defer { Task { await client.shutdown(); await admin.shutdown() } }
        let id = try await client.send(["CLIENT", "ID"]).int
        try await admin.send(["CLIENT", "KILL", "ID", String(try #require(id))])
        // The pool notices the dead connection when it is next leased (or when the command on it fails).
        var recovered = false
        for _ in 0..<3 where !recovered {
            recovered = (try? await client.ping()) != nil
        }
        #expect(recovered)
        #expect(try await client.send(["CLIENT", "ID"]).int != id)
    }

    @Test(.timeLimit(.minutes(1)))
    func publishAndSubscribe() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.shutdown() } }
        let channel = TestRedis.key()
        let subscription = try await client.subscribe(channels: [channel])
        let second = try await client.subscribe(channels: [channel])
        #expect(try await client.publish(channel, "hello") == 1, "one Redis subscription serves both readers")
        #expect(await firstMessage(of: subscription)
            == RedisPubSubMessage(channel: channel, pattern: nil, payload: ByteBuffer(string: "hello")))
        #expect(await firstMessage(of: second)?.payloadString == "hello")
        await subscription.cancel()
        #expect(try await client.publish(channel, "still one") == 1)
        await second.cancel()
        // UNSUBSCRIBE is sent without waiting; a PING on the same connection orders after it.
        let patterns = try await client.subscribe(patterns: ["\(channel):*"])
        #expect(try await client.publish(channel, "nobody") == 0)
        #expect(try await client.publish("\(channel):x", "by pattern") == 1)
        let message = await firstMessage(of: patterns)
        #expect(message?.pattern == "\(channel):*")
        #expect(message?.channel == "\(channel):x")
        await patterns.cancel()
    }
}
