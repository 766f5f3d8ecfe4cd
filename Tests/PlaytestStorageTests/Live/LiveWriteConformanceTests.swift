import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

/// `LiveStore.write(_:)` on every engine: one batch of the writes an agent's flush and a leaderboard make.
@Suite("LiveStore batches")
struct LiveWriteConformanceTests {
    @Test(arguments: LiveStoreEngine.available)
    func aFlushWritesEveryStructureAndItsBounds(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.write([
                .hashSet("agent:1:state", ["health": "100", "episode": "1"]),
                .increment("agent:1:frames", by: 4),
                .listPushCapped("agent:1:rewards", ["1", "2", "3"], cap: 2),
                .sortedSetAdd("agent:1:milestones", [ScoredMember(member: "first_kill", score: 10)], when: .always),
                .sortedSetIncrement("agent:1:locations", member: "0,0", by: 3),
                .sortedSetIncrement("agent:1:locations", member: "1,0", by: 1),
                .sortedSetIncrement("agent:1:locations", member: "2,0", by: 2),
                .sortedSetKeepHighest("agent:1:locations", count: 2),
                .set("agent:1:progress", "{}"),
                .expire("agent:1:state", ttl: .seconds(60)),
            ])
            #expect(try await store.hashGetAll("agent:1:state") == ["health": "100", "episode": "1"])
            #expect(try await store.get("agent:1:frames") == "4")
            #expect(try await store.listRange("agent:1:rewards", start: 0, stop: -1) == ["3", "2"], "newest first, capped")
            #expect(try await store.sortedSetScore("agent:1:milestones", member: "first_kill") == 10)
            #expect(try await store.sortedSetRange("agent:1:locations", start: 0, stop: -1, descending: true).map(\.member) == ["0,0", "2,0"],
                    "the least visited cell went")
            #expect(try await store.sortedSetCount("agent:1:locations") == 2)
            #expect(try await store.sortedSetCount("missing") == 0)
            #expect(try await store.ttl("agent:1:state").map { $0 > .zero && $0 <= .seconds(60) } == true)
            #expect(try await store.ttl("agent:1:progress") == nil)
            try await store.write([])
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func aSetIsReplacedAndAHashFieldKeptInOneBatch(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.write([.setAdd("visited", ["a", "b"]), .hashSet("session", ["session_start": "1"])])
            try await store.write([
                .delete("visited"), .setAdd("visited", ["c"]), .setAdd("empty", []),
                .hashSetIfAbsent("session", field: "session_start", value: "2"), .hashSetIfAbsent("session", field: "last", value: "3"),
            ])
            #expect(try await store.setMembers("visited") == ["c"], "the old members went with the delete")
            #expect(try await store.setMembers("empty").isEmpty)
            #expect(try await store.hashGetAll("session") == ["session_start": "1", "last": "3"], "an existing field is kept")
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func bestOfAddsOnlyMoveTheRightWay(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            let high = { (score: Double) in LiveWrite.sortedSetAdd("kills", [ScoredMember(member: "a", score: score)], when: .greater) }
            let low = { (score: Double) in LiveWrite.sortedSetAdd("exit", [ScoredMember(member: "a", score: score)], when: .less) }
            try await store.write([high(5), high(3), high(8), low(90), low(120), low(60)])
            #expect(try await store.sortedSetScore("kills", member: "a") == 8)
            #expect(try await store.sortedSetScore("exit", member: "a") == 60)
            try await store.write([.sortedSetAdd("kills", [ScoredMember(member: "a", score: 1)], when: .always)])
            #expect(try await store.sortedSetScore("kills", member: "a") == 1, "a plain add sets")
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func anInvalidWriteRejectsTheWholeBatch(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            await #expect(throws: LiveStoreError.self) {
                try await store.write([.set("written", "no"), .listPushCapped("list", ["x"], cap: 0)])
            }
            await #expect(throws: LiveStoreError.self) { try await store.write([.set("written", "no"), .expire("written", ttl: .zero)]) }
            await #expect(throws: LiveStoreError.self) {
                try await store.write([.sortedSetAdd("z", [ScoredMember(member: "m", score: .nan)], when: .always)])
            }
            #expect(try await store.get("written") == nil, "nothing of a rejected batch was applied")
        }
    }

    @Test(arguments: LiveStoreEngine.available)
    func writtenKeysExpire(engine: LiveStoreEngine) async throws {
        try await engine.withStore { (store: any LiveStore) async throws in
            try await store.write([.hashSet("session", ["a": "1"]), .listPushCapped("rewards", ["1"], cap: 100),
                                   .expire("session", ttl: .seconds(1)), .expire("rewards", ttl: .seconds(1))])
            try await Deadline.wait("the session keys to expire", within: .seconds(90)) {
                let hashGone = try await store.hashGetAll("session").isEmpty
                let listGone = try await store.listRange("rewards", start: 0, stop: -1).isEmpty
                return hashGone && listGone
            }
        }
    }
}
