import Foundation
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
import PlaytestStorage
import Testing
import VaporTesting

@Suite("Analysis API", .serialized)
struct AnalysisAPITests {
    /// A test run of `agent` at `skill` with these episodes stored, as a worker would have stored them, then ended
    /// (unless `finish` is false): analyses are cached until a run finishes.
    static func run(_ services: Services, _ engines: PlaytestEngines, map: String, agent: String = "random", skill: Int, godMode: Bool = false,
                    episodes: [(exit: Bool, deaths: Int, seconds: Double)], finish: Bool = true) async throws -> String {
        var params: [String: JSONValue] = ["skill": .int(skill)]
        if godMode { params["god_mode"] = true }
        let id = try await services.launcher.startTest(TestRunRequest(mapID: map, agent: agent, episodes: episodes.count, params: params)).id
        let stored = episodes.enumerated().map { index, episode in
            (EpisodeMetrics(episodeNum: index + 1, kills: 2, deaths: episode.deaths, durationSeconds: episode.seconds, healthLost: 40,
                            ammoUsed: 10, finalHealth: 60, exitReached: episode.exit, coverage: 0.5),
             EpisodeLog(episodeNum: index + 1, durationSeconds: episode.seconds, frames: 35, events: [], healthTimeline: []))
        }
        try await TestTelemetryStore(sql: engines.sql).saveEpisodes(runID: id, stored)
        if finish { _ = try await services.launcher.stop(kind: .testing, ids: [id]) }
        return id
    }

    /// The analysis cache's hits and misses as `/metrics` reports them.
    static func cacheReads(_ app: Application) async throws -> (hits: Int, misses: Int) {
        var text = ""
        try await app.testing().test(.GET, "metrics") { text = $0.body.string }
        func count(_ outcome: String) -> Int {
            let prefix = #"playtest_analysis_cache_reads_count{outcome=""# + outcome + #""} "#
            return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) } ?? 0
        }
        return (count("hit"), count("miss"))
    }

    static func json(_ app: Application, _ path: String) async throws -> (HTTPStatus, [String: JSONValue]) {
        var result: (HTTPStatus, [String: JSONValue]) = (.ok, [:])
        try await app.testing().test(.GET, path) { result = ($0.status, (try? $0.content.decode([String: JSONValue].self)) ?? [:]) }
        return result
    }

    @Test("a map's profile: per skill, agent and god mode, each figure with its episodes and too_few; empty, not an error, without runs")
    func profile() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let map = try await importScenario(engines, "basic")
            let (status, empty) = try await Self.json(app, "api/v1/analysis/maps/\(map)")
            #expect(status == .ok && empty["note"]?.stringValue?.contains("No test run") == true)
            #expect(empty["overall"]?["completion_rate"]?["value"] == .null && empty["overall"]?["episodes"] == 0)

            _ = try await Self.run(services, engines, map: map, skill: 2, episodes: Array(repeating: (true, 0, 30), count: 3) + Array(repeating: (false, 1, 60), count: 3))
            _ = try await Self.run(services, engines, map: map, skill: 4, godMode: true, episodes: [(true, 0, 20), (false, 0, 90)])
            let (_, profile) = try await Self.json(app, "api/v1/analysis/maps/\(map)?map=map01")
            #expect(profile["runs"] == 2 && profile["overall"]?["episodes"] == 8)
            #expect(profile["overall"]?["completion_rate"]?["value"]?.doubleValue == 4.0 / 8)
            #expect(profile["overall"]?["survival_rate"]?["episodes"] == 6, "god-mode episodes say nothing about survival")
            #expect(profile["overall"]?["hardness_too_few"] == false, "six mortal episodes: enough for the hardness")
            let groups = profile["groups"]?.arrayValue ?? []
            #expect(groups.count == 2)
            #expect(groups.first?["skill"] == 2 && groups.first?["figures"]?["completion_rate"]?["too_few"] == false)
            #expect(groups.last?["god_mode"] == true && groups.last?["figures"]?["survival_rate"]?["value"] == .null)
            #expect(groups.last?["figures"]?["completion_rate"]?["too_few"] == true, "two episodes are too few")
            let curve = profile["skill_curve"]?.arrayValue ?? []
            #expect(curve.count == 5 && curve[1]["episodes"] == 6 && curve[1]["hardness"]?["score"] != nil && curve[3]["hardness"] == nil)
            #expect(try await Self.json(app, "api/v1/analysis/maps/\(map)?map=MAP99").0 == .notFound)
            #expect(try await Self.json(app, "api/v1/analysis/maps/not-a-map").0 == .notFound)
        }
    }

    @Test("comparisons take 2 to 6 items of one kind, on the same axes, normalised to 0…1")
    func compare() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let basic = try await importScenario(engines, "basic")
            let corridor = try await importScenario(engines, "deadly_corridor")
            _ = try await Self.run(services, engines, map: basic, skill: 3, episodes: Array(repeating: (true, 0, 20), count: 5))
            _ = try await Self.run(services, engines, map: corridor, agent: "explorer", skill: 3, episodes: Array(repeating: (false, 1, 40), count: 5))
            let (status, maps) = try await Self.json(app, "api/v1/analysis/compare?kind=maps&id=\(basic)&id=\(corridor)")
            #expect(status == .ok)
            let items = maps["items"]?.arrayValue ?? []
            #expect(items.count == 2 && maps["axes"]?.arrayValue?.count == 6)
            #expect(items[0]["normalized"]?["completion"]?.doubleValue == 1 && items[1]["normalized"]?["completion"]?.doubleValue == 0)
            #expect(items[1]["normalized"]?["speed"] == .null, "no exit, no speed")
            let (_, agents) = try await Self.json(app, "api/v1/analysis/compare?kind=agents&id=random&id=explorer")
            #expect((agents["items"]?.arrayValue ?? []).map { $0["figures"]?["episodes"] } == [5, 5])
            #expect(items.map { $0["figures"]?["hardness_too_few"] } == [false, false], "five episodes each: enough")
            for bad in ["kind=maps&id=\(basic)", "kind=maps&id=\(basic)&id=\(basic)", "kind=planets&id=a&id=b",
                        "kind=versions&id=\(basic)&id=\(corridor)", "kind=maps&id=\(basic)&id=a,b,c,d,e,f,g" + (1...6).map { "&id=x\($0)" }.joined()] {
                #expect(try await Self.json(app, "api/v1/analysis/compare?\(bad)").0 == .badRequest, "\(bad)")
            }
            #expect(try await Self.json(app, "api/v1/analysis/compare?kind=maps&id=\(basic)&id=\(UUID().uuidString)").0 == .notFound)
            #expect(try await Self.json(app, "api/v1/analysis/compare?kind=agents&id=random&id=wizard").0 == .notFound, "an unknown agent")
            #expect(try await Self.json(app, "api/v1/analysis/compare?kind=checkpoints&id=ckpt_none&id=general").0 == .notFound,
                    "checkpoints no run played and none stored")

            // Two uploads with one WAD name are versions: the map page lists them and links their comparison.
            let scenarios = try #require(testVizdoomDirectory) + "/scenarios/"
            let first = try await services.maps.importWAD(fileAt: scenarios + "defend_the_line.wad", name: "My level").map.id
            let second = try await services.maps.importWAD(fileAt: scenarios + "simpler_basic.wad", name: "My level").map.id
            try await app.testing().test(.GET, "maps/\(second)") {
                #expect($0.body.string.contains(#"id="versions""#) && $0.body.string.contains("kind=versions"))
            }
            // A run of the second version saw one finding.
            try await FindingStore(sql: engines.sql).record(
                [FindingObservation(kind: "stuck", severity: .warning, source: .play, message: "stuck", x: 0, y: 0, episode: 1, tic: 35)],
                mapName: "My level", level: "MAP01", mapID: second, runID: "test_version_two")
            let (versionsStatus, versions) = try await Self.json(app, "api/v1/analysis/compare?kind=versions&id=\(first)&id=\(second)")
            let compared = versions["items"]?.arrayValue ?? []
            #expect(versionsStatus == .ok && compared.count == 2)
            #expect(compared.map { $0["map"]?["play_findings"] } == [0, 1], "what play found in each version")
            let linedefs = compared.compactMap { $0["map"]?["counts"]?["linedefs"]?.intValue }
            #expect(linedefs.count == 2 && linedefs[0] != linedefs[1], "the geometry of each version")
            try await app.testing().test(.GET, "analysis/compare?kind=versions&id=\(first)&id=\(second)") { page in
                #expect(page.body.string.contains("What changed") && page.body.string.contains(#"id="compare-maps""#))
                #expect(page.body.string.contains("— (no episodes)"), "a version nobody played has no hardness, and says so")
            }
            let (_, agentItems) = try await Self.json(app, "api/v1/analysis/compare?kind=agents&id=random&id=explorer")
            #expect(agentItems["items"]?.arrayValue?.allSatisfy { $0["map"] == nil } == true, "agents carry no map facts")
        }
    }

    @Test("statistics count the platform; analysis reads are cached until a run finishes, and /metrics counts hits and misses")
    func statisticsAndCache() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let map = try await importScenario(engines, "basic")
            let run = try await Self.run(services, engines, map: map, skill: 3, episodes: [(true, 0, 3600), (false, 1, 3600)], finish: false)
            func seen(_ kind: String, at x: Double) -> FindingObservation {
                FindingObservation(kind: kind, severity: .warning, source: .play, message: kind, x: x, y: 0)
            }
            try await FindingStore(sql: engines.sql).record([seen("softlock", at: 0), seen("softlock", at: 500), seen("stuck", at: 0)],
                                                           mapName: "basic", level: "MAP01", mapID: map, runID: run)
            let (status, stats) = try await Self.json(app, "api/v1/analysis/statistics")
            #expect(stats["common_findings"] == [["kind": "softlock", "findings": 2], ["kind": "stuck", "findings": 1]],
                    "the findings store's kinds, the most common first")
            #expect(status == .ok && stats["episodes"] == 2 && stats["test_runs"] == 1 && stats["agent_hours"]?.doubleValue == 2)
            #expect(stats["completion_rate"]?["value"]?.doubleValue == 0.5 && stats["completion_rate"]?["too_few"] == true)
            #expect(stats["days"]?.arrayValue?.last?["episodes"] == 2 && stats["days"]?.arrayValue?.count == 30)
            #expect(stats["busiest_maps"]?.arrayValue?.first?["uploaded_at"]?.stringValue != nil, "versions are told apart by it")

            let before = try await Self.cacheReads(app)
            _ = try await Self.json(app, "api/v1/analysis/maps/\(map)")
            _ = try await Self.json(app, "api/v1/analysis/maps/\(map)")
            let warm = try await Self.cacheReads(app)
            #expect(warm.hits == before.hits + 1 && warm.misses == before.misses + 1, "the second read is a hit")
            // Another map's profile, cached too: a run of the first map leaves it cached.
            let other = try await importScenario(engines, "deadly_corridor")
            _ = try await Self.json(app, "api/v1/analysis/maps/\(other)")
            _ = try await Self.json(app, "api/v1/analysis/statistics")
            let cached = try await Self.cacheReads(app)
            _ = try await services.launcher.stop(kind: .testing, ids: [run])
            _ = try await Self.json(app, "api/v1/analysis/maps/\(map)")
            #expect(try await Self.cacheReads(app).misses == cached.misses + 1, "a finished run makes its map's next read a miss")
            _ = try await Self.json(app, "api/v1/analysis/maps/\(other)")
            #expect(try await Self.cacheReads(app).misses == cached.misses + 1, "and leaves the other map's profile cached")
            _ = try await Self.json(app, "api/v1/analysis/statistics")
            #expect(try await Self.cacheReads(app).misses == cached.misses + 2, "the statistics read every map: a miss")
            // Uploading a map moves the platform's generation on (the statistics count the maps), and so does deleting one.
            let (_, beforeUpload) = try await Self.json(app, "api/v1/analysis/statistics")
            let readsBeforeUpload = try await Self.cacheReads(app)
            _ = try await importScenario(engines, "defend_the_center")
            let (_, counted) = try await Self.json(app, "api/v1/analysis/statistics")
            #expect(try await Self.cacheReads(app).misses == readsBeforeUpload.misses + 1, "a new map makes the statistics a miss")
            #expect(counted["maps"]?.intValue == (beforeUpload["maps"]?.intValue ?? 0) + 1)
            _ = try await Self.json(app, "api/v1/analysis/statistics")
            let beforeDelete = try await Self.cacheReads(app)
            try await services.maps.delete(id: other)
            _ = try await Self.json(app, "api/v1/analysis/statistics")
            #expect(try await Self.cacheReads(app).misses == beforeDelete.misses + 1, "a deleted map makes the statistics a miss")
        }
    }

    @Test("the statistics and compare pages and the map page's hardness gauge render")
    func pages() async throws {
        try await withPlaytestApp { app, engines in
            let services = testServices(engines)
            let map = try await importScenario(engines, "basic")
            let other = try await importScenario(engines, "deadly_corridor")
            _ = try await Self.run(services, engines, map: map, skill: 3, episodes: Array(repeating: (true, 0, 20), count: 5))
            try await app.testing().test(.GET, "analysis") { #expect($0.status == .ok && $0.body.string.contains("busiest-maps")) }
            try await app.testing().test(.GET, "analysis/compare?kind=maps&id=\(map)&id=\(other)") {
                #expect($0.status == .ok && $0.body.string.contains("compare-radar") && $0.body.string.contains("<polygon"))
                #expect($0.body.string.contains("(5 ep.)</td>") && !$0.body.string.contains("Optional"), "the hardness says what it rests on")
            }
            try await app.testing().test(.GET, "analysis/compare?kind=maps&id=\(map)") { #expect($0.status == .badRequest) }
            try await app.testing().test(.GET, "maps/\(map)") { #expect($0.body.string.contains("hardness-gauge")) }
        }
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    var arrayValue: [JSONValue]? {
        guard case .array(let array) = self else { return nil }
        return array
    }

    subscript(index: Int) -> JSONValue? {
        arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil }
    }

    var doubleValue: Double? {
        guard case .number(let number) = self else { return nil }
        return number.double
    }
}
