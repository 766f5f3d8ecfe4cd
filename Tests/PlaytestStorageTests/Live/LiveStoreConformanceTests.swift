import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

/// One suite, every engine: what a caller of `LiveStore` may rely on.
@Suite("LiveStore conformance")
struct LiveStoreConformanceTests {
    @Test(arguments: LiveStoreEngine.available)
    func keys(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.ping()
            #expect(try await store.get("greeting") == nil)
            try await store.set("greeting", "hello", ttl: nil)
            #expect(try await store.get("greeting") == "hello")
            try await store.set("greeting", "hi", ttl: nil)
            #expect(try await store.get("greeting") == "hi")
            try await store.set("other", "x", ttl: nil)
            #expect(try await store.delete(["greeting", "other", "missing"]) == 2)
            #expect(try await store.get("greeting") == nil)
            #expect(try await store.delete([]) == 0)
        }
    }

    @Test("several strings in one read: in order, nil where missing or not a string", arguments: LiveStoreEngine.available)
    func getMany(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.set("a", "1", ttl: nil)
            try await store.set("c", "3", ttl: .seconds(60))
            try await store.hashSet("h", ["f": "v"])
            #expect(try await store.get(["c", "missing", "a", "h"]) == ["3", nil, "1", nil])
            #expect(try await store.get([String]()) == [])
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func timeToLive(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.set("session", "s", ttl: .seconds(60))
            let left = try #require(try await store.ttl("session"))
            // What is left is positive and never more than was set; how much time passed in between is not the point.
            #expect(left > .zero && left <= .seconds(60))
            try await store.set("forever", "f", ttl: nil)
            #expect(try await store.ttl("forever") == nil, "no TTL")
            #expect(try await store.ttl("missing") == nil, "no key")
            #expect(try await store.expire("forever", ttl: .seconds(30)))
            #expect(try await store.ttl("forever").map { $0 > .zero && $0 <= .seconds(30) } == true)
            #expect(try await store.expire("missing", ttl: .seconds(30)) == false)
            try await store.set("session", "again", ttl: nil)
            #expect(try await store.ttl("session") == nil, "a plain set clears the TTL")
            await #expect(throws: LiveStoreError.self) { try await store.set("bad", "x", ttl: .zero) }
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func keysAndHashesExpire(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            // Present first under a TTL no test run outlasts, then given a short one: no window of time to hit.
            try await store.set("short", "lived", ttl: .seconds(3600))
            try await store.hashSet("progress", ["step": "1"])
            #expect(try await store.expire("progress", ttl: .seconds(3600)))
            try await store.set("long", "lived", ttl: .seconds(3600))
            #expect(try await store.get("short") == "lived", "present before it expires")
            #expect(try await store.hashGetAll("progress") == ["step": "1"])
            #expect(try await store.expire("short", ttl: .seconds(1)))
            #expect(try await store.expire("progress", ttl: .seconds(1)))
            try await Deadline.wait("the short key to expire", within: .seconds(90)) { try await store.get("short") == nil }
            try await Deadline.wait("the hash to expire", within: .seconds(90)) { try await store.hashGetAll("progress").isEmpty }
            #expect(try await store.ttl("short") == nil)
            #expect(try await store.get("long") == "lived")
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func counters(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            #expect(try await store.increment("kills", by: 3) == 3)
            #expect(try await store.increment("kills", by: -5) == -2)
            #expect(try await store.get("kills") == "-2")
            try await store.set("counted", "10", ttl: .seconds(60))
            #expect(try await store.increment("counted", by: 1) == 11)
            #expect(try await store.ttl("counted") != nil, "incrementing keeps the TTL")
            try await store.set("word", "ten", ttl: nil)
            await #expect(throws: LiveStoreError.notAnInteger(key: "word")) { try await store.increment("word", by: 1) }
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func hashes(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            #expect(try await store.hashGetAll("run") == [:])
            try await store.hashSet("run", ["status": "running", "episode": "1"])
            try await store.hashSet("run", ["episode": "2", "kills": "7"])
            #expect(try await store.hashGetAll("run") == ["status": "running", "episode": "2", "kills": "7"])
            try await store.hashSet("run", [:])
            #expect(try await store.hashGetAll("run").count == 3)
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func cappedLists(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            #expect(try await store.listRange("events", start: 0, stop: -1) == [])
            try await store.listPushCapped("events", ["a", "b"], cap: 3)
            try await store.listPushCapped("events", ["c", "d"], cap: 3)
            #expect(try await store.listRange("events", start: 0, stop: -1) == ["d", "c", "b"], "newest first, trimmed to 3")
            #expect(try await store.listRange("events", start: 1, stop: 1) == ["c"])
            #expect(try await store.listRange("events", start: -2, stop: -1) == ["c", "b"])
            #expect(try await store.listRange("events", start: 5, stop: 10) == [])
            #expect(try await store.listRange("events", start: -100, stop: 100) == ["d", "c", "b"])
            await #expect(throws: LiveStoreError.self) { try await store.listPushCapped("events", ["e"], cap: 0) }
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func sortedSetsRankByScoreAndByRank(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.sortedSetAdd("board", member: "ann", score: 10)
            try await store.sortedSetAdd("board", member: "bob", score: 30)
            try await store.sortedSetAdd("board", member: "cid", score: 20)
            try await store.sortedSetAdd("board", member: "dee", score: 20)
            try await store.sortedSetAdd("board", member: "ann", score: 12)
            #expect(try await store.sortedSetIncrement("board", member: "ann", by: 0.5) == 12.5)
            #expect(try await store.sortedSetIncrement("board", member: "eve", by: 5) == 5, "a new member starts at 0")
            #expect(try await store.sortedSetScore("board", member: "ann") == 12.5)
            #expect(try await store.sortedSetScore("board", member: "nobody") == nil)
            #expect(try await store.sortedSetScore("no-board", member: "ann") == nil)

            // Ascending: eve 5, ann 12.5, cid 20, dee 20 (ties by member), bob 30.
            #expect(try await store.sortedSetRank("board", member: "eve", descending: false) == 0)
            #expect(try await store.sortedSetRank("board", member: "dee", descending: false) == 3)
            #expect(try await store.sortedSetRank("board", member: "bob", descending: true) == 0)
            #expect(try await store.sortedSetRank("board", member: "dee", descending: true) == 1)
            #expect(try await store.sortedSetRank("board", member: "nobody", descending: true) == nil)

            let all = try await store.sortedSetRange("board", start: 0, stop: -1, descending: false)
            #expect(all.map(\.member) == ["eve", "ann", "cid", "dee", "bob"])
            #expect(all.map(\.score) == [5, 12.5, 20, 20, 30])
            let top = try await store.sortedSetRange("board", start: 0, stop: 1, descending: true)
            #expect(top == [ScoredMember(member: "bob", score: 30), ScoredMember(member: "dee", score: 20)])
            #expect(try await store.sortedSetRange("board", start: -2, stop: -1, descending: false).map(\.member) == ["dee", "bob"])
            #expect(try await store.sortedSetRange("board", start: 9, stop: 12, descending: false) == [])

            let middle = try await store.sortedSetRangeByScore("board", min: 12.5, max: 20, limit: nil)
            #expect(middle.map(\.member) == ["ann", "cid", "dee"], "bounds are inclusive")
            #expect(try await store.sortedSetRangeByScore("board", min: 0, max: 100, limit: 2).map(\.member) == ["eve", "ann"])
            #expect(try await store.sortedSetRangeByScore("board", min: 0, max: 100, limit: 0) == [])
            #expect(try await store.sortedSetRangeByScore("board", min: -.infinity, max: .infinity, limit: nil).count == 5)

            #expect(try await store.sortedSetRemove("board", members: ["cid", "nobody"]) == 1)
            #expect(try await store.sortedSetRank("board", member: "dee", descending: false) == 2)
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func setMembership(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            #expect(try await store.setMembers("online") == [])
            #expect(try await store.setAdd("online", members: ["w1", "w2", "w1"]) == 2)
            #expect(try await store.setAdd("online", members: ["w2", "w3"]) == 1)
            #expect(try await store.setContains("online", member: "w3"))
            #expect(try await store.setContains("online", member: "w9") == false)
            #expect(try await store.setRemove("online", members: ["w1", "w9"]) == 1)
            #expect(try await store.setMembers("online") == ["w2", "w3"])
            #expect(try await store.setRemove("online", members: ["w2", "w3"]) == 2)
            #expect(try await store.setMembers("online") == [])
            #expect(try await store.setAdd("online", members: []) == 0)
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func wrongTypeIsAnError(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.hashSet("h", ["f": "v"])
            let wrongType = LiveStoreError.wrongType(key: "h")
            await #expect(throws: wrongType) { try await store.get("h") }
            await #expect(throws: wrongType) { try await store.listPushCapped("h", ["x"], cap: 5) }
            await #expect(throws: wrongType) { try await store.sortedSetAdd("h", member: "m", score: 1) }
            await #expect(throws: wrongType) { try await store.setAdd("h", members: ["m"]) }
            await #expect(throws: wrongType) { try await store.increment("h", by: 1) }
            #expect(try await store.hashGetAll("h") == ["f": "v"], "a failed call changes nothing")
        }
    }
}
