import Foundation
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
import PlaytestStorage
import Testing
import VaporTesting

@Suite("Leaderboards API", .serialized)
struct LeaderboardsAPITests {
    static let kills = LeaderboardDefinition(id: "bench.kills", title: "Kills", sortOrder: .descending, operator: .best, metadata: ["unit": "kills"])
    static let exit = LeaderboardDefinition(id: "bench.exit", title: "Fastest exit", sortOrder: .ascending, operator: .best)

    /// 25 agents on the kills board (agent-01 scores 1 … agent-25 scores 25) and three on the exit board.
    static func seed(_ services: Services) async throws {
        try await services.leaderboards.define(kills)
        try await services.leaderboards.define(exit)
        for index in 1...25 {
            try await services.leaderboards.submit(kills, owner: String(format: "agent-%02d", index), score: Double(index), metadata: ["run_id": "r\(index)"])
        }
        // Best of: a worse later score changes nothing.
        try await services.leaderboards.submit(kills, owner: "agent-25", score: 2)
        for (owner, seconds) in [("a", 90.0), ("b", 45), ("c", 60)] { try await services.leaderboards.submit(exit, owner: owner, score: seconds) }
    }

    static func json(_ app: Application, _ path: String) async throws -> (HTTPStatus, JSONValue) {
        var result: (HTTPStatus, JSONValue) = (.ok, .null)
        try await app.testing().test(.GET, path) { result = ($0.status, (try? $0.content.decode(JSONValue.self)) ?? .null) }
        return result
    }

    static func owners(_ page: JSONValue) -> [String] { page["records"]?.arrayValue?.compactMap { $0["owner"]?.stringValue } ?? [] }

    @Test("top N, pages, around an owner and an owner's standing, in each board's order")
    func reads() async throws {
        try await withPlaytestApp { app, engines in
            try await Self.seed(testServices(engines))
            let (_, list) = try await Self.json(app, "api/v1/leaderboards")
            #expect(list["boards"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["bench.exit", "bench.kills"])

            let (status, top) = try await Self.json(app, "api/v1/leaderboards/bench.kills?limit=3")
            #expect(status == .ok && top["total"] == 25)
            #expect(Self.owners(top) == ["agent-25", "agent-24", "agent-23"])
            #expect(top["records"]?[0]?["rank"] == 1 && top["records"]?[0]?["score"]?.doubleValue == 25)
            let (_, last) = try await Self.json(app, "api/v1/leaderboards/bench.kills?offset=20&limit=10")
            #expect(Self.owners(last) == ["agent-05", "agent-04", "agent-03", "agent-02", "agent-01"])
            #expect(last["records"]?[0]?["rank"] == 21)

            let (_, around) = try await Self.json(app, "api/v1/leaderboards/bench.kills/around/agent-10?count=2")
            #expect(Self.owners(around) == ["agent-12", "agent-11", "agent-10", "agent-09", "agent-08"])
            let (_, atTop) = try await Self.json(app, "api/v1/leaderboards/bench.kills/around/agent-25?count=2")
            #expect(Self.owners(atTop) == ["agent-25", "agent-24", "agent-23", "agent-22", "agent-21"], "clamped at the top")

            let (_, standing) = try await Self.json(app, "api/v1/leaderboards/bench.kills/owners/agent-20")
            #expect(standing["rank"] == 6 && standing["score"]?.doubleValue == 20 && standing["metadata"]?["run_id"] == "r20")
            #expect(standing["writes"] == 1)

            let (_, fastest) = try await Self.json(app, "api/v1/leaderboards/bench.exit")
            #expect(Self.owners(fastest) == ["b", "c", "a"], "lowest first")
        }
    }

    @Test("the sorted set lost (Redis restarted empty): reads rebuild it from SQL")
    func rebuildOnRead() async throws {
        try await withPlaytestApp { app, engines in
            try await Self.seed(testServices(engines))
            try await engines.live.delete(["leaderboard:bench.kills"])
            let (_, top) = try await Self.json(app, "api/v1/leaderboards/bench.kills?limit=2")
            #expect(Self.owners(top) == ["agent-25", "agent-24"])
            #expect(try await engines.live.sortedSetCount("leaderboard:bench.kills") == 25)
            try await engines.live.delete(["leaderboard:bench.kills"])
            let (_, standing) = try await Self.json(app, "api/v1/leaderboards/bench.kills/owners/agent-01")
            #expect(standing["rank"] == 25)
        }
    }

    @Test("bad input gets a clear 4xx and changes nothing")
    func badInput() async throws {
        try await withPlaytestApp { app, engines in
            try await Self.seed(testServices(engines))
            for (path, status) in [
                ("api/v1/leaderboards/bench.kills?limit=0", HTTPStatus.badRequest), ("api/v1/leaderboards/bench.kills?limit=101", .badRequest),
                ("api/v1/leaderboards/bench.kills?limit=ten", .badRequest), ("api/v1/leaderboards/bench.kills?offset=-1", .badRequest),
                ("api/v1/leaderboards/bench.kills/around/agent-01?count=51", .badRequest), ("api/v1/leaderboards/nope", .notFound),
                ("api/v1/leaderboards/bench.kills/owners/nobody", .notFound), ("api/v1/leaderboards/bench.kills/around/nobody", .notFound),
                ("api/v1/runs/test_missing/milestones", .notFound), ("api/v1/runs/test_missing/agent", .notFound),
                ("api/v1/agents/random/confidence?limit=0", .badRequest),
            ] {
                let (got, body) = try await Self.json(app, path)
                #expect(got == status, "\(path) answered \(got.code)")
                #expect(body["error"]?["message"]?.stringValue?.isEmpty == false, "\(path) says why")
            }
            let (_, top) = try await Self.json(app, "api/v1/leaderboards/bench.kills?limit=1")
            #expect(Self.owners(top) == ["agent-25"])
        }
    }

    @Test("a run's milestones with their screenshots; its live agent view while it has one; the leaderboards page")
    func runViewsAndPage() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            try await Self.seed(services)
            let map = try await importScenario(engines, "basic")
            let run = try await services.launcher.startTest(TestRunRequest(mapID: map, agent: "random", episodes: 1, params: [:])).id
            let award = MilestoneAward(milestone: .firstKill, episode: 1, tic: 70, x: 1, y: 2)
            _ = try await AgentProgressStore(sql: engines.sql).insertMilestones([
                MilestoneRecord(runID: run, award: award, agent: "random", mapID: map, awardedAt: Date()),
            ])
            let (_, milestones) = try await Self.json(app, "api/v1/runs/\(run)/milestones")
            #expect(milestones["milestones"]?[0]?["milestone"] == "first_kill" && milestones["milestones"]?[0]?["screenshot_url"] == .null)
            #expect(milestones["milestones"]?[0]?["title"] == "First kill")

            let (noLive, _) = try await Self.json(app, "api/v1/runs/\(run)/agent")
            #expect(noLive == .notFound)
            try await engines.live.hashSet(AgentLiveKeys(agentID: run).state, ["run": run, "agent": "random", "position": "10,-20", "health": "80"])
            let (_, live) = try await Self.json(app, "api/v1/runs/\(run)/agent")
            #expect(live["x"]?.doubleValue == 10 && live["y"]?.doubleValue == -20 && live["health"] == 80 && live["rewards"] == [])

            var page = ""
            try await app.testing().test(.GET, "leaderboards") { page = $0.body.string }
            #expect(page.contains("Fastest exit") && page.contains("agent-25") && page.contains("Lowest first"))
            var runPage = ""
            try await app.testing().test(.GET, "runs/\(run)") { runPage = $0.body.string }
            #expect(runPage.contains("id=\"milestones\"") && runPage.contains("First kill") && runPage.contains("id=\"agent-live\""))
        }
    }
}
