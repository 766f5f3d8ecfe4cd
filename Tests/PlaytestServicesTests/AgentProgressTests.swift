import Foundation
import Logging
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing

/// Agents' live state end to end through a test run's recorder: the seed 000 keys, milestones once, the boards.
@Suite("Agents' live state", .serialized)
struct AgentProgressTests {
    /// One episode: a kill at step 2, a key at step 3, then the exit without damage.
    static func episode(_ number: Int) -> [AgentMessage] {
        [
            .episodeStart(EpisodeStartMessage(episode: number, map: "MAP01")),
            .step(StepSample(episode: number, step: 1, tic: 4, x: 10, y: 10, action: 1, buttons: ["MOVE_FORWARD"], reward: 0.5, confidence: 0.9)),
            .step(StepSample(episode: number, step: 2, tic: 8, x: 70, y: 10, killcount: 1, action: 2, buttons: ["ATTACK"], reward: -1,
                             confidence: 0.4)),
            .step(StepSample(episode: number, step: 3, tic: 12, x: 140, y: 10, killcount: 1, action: 1, buttons: ["MOVE_FORWARD"], reward: 2,
                             confidence: 0.8, keys: ["blue_card"])),
            .episodeEnd(EpisodeEndMessage(episode: number, reason: .exit, tics: 12, steps: 3, totalReward: 1.5, killcount: 1, x: 140, y: 10)),
        ]
    }

    static func play(_ harness: ServicesHarness, runID: String, finished: Int, episodes: [Int]) async throws {
        let playback = harness.services.playback.with(RecordingOptions(stepBatchSize: 1, stepFlushInterval: .zero, liveInterval: .zero))
        let run = try #require(try await playback.begin(runID: runID, logger: TestDatabase.quietLogger()))
        var recorder = try await playback.testRecorder(run, finished: finished, steps: 0)
        for number in episodes {
            for message in episode(number) { try await recorder.record(message) }
        }
        try await recorder.flush()
    }

    static func checkPlayedRun(_ harness: ServicesHarness) async throws {
        let map = try await harness.addMap()
        let runID = try await harness.addRun(.testing, on: map, target: 2)
        try await play(harness, runID: runID, finished: 0, episodes: [0])
        let live = harness.engines.live
        let keys = AgentLiveKeys(agentID: runID)

        let state = try await live.hashGetAll(keys.state)
        #expect(state["run"] == runID && state["map"] == "MAP01" && state["episode"] == "1" && state["status"] == "running")
        #expect(state["position"] == "140,10" && state["health"] == "100" && state["ammo"] == "50" && state["agent"] == "random")
        #expect(try await live.get(keys.heartbeat) != nil)
        #expect(try await live.get(keys.frames) == "3")
        let decisions = try await live.listRange(keys.decisions, start: 0, stop: -1)
        #expect(decisions.count == 3 && decisions[0].contains("\"confidence\":0.8"), "newest first, with the confidence")
        #expect(try await live.listRange(keys.rewards, start: 0, stop: -1) == ["2", "-1", "0.5"])
        let milestones = Set(try await live.sortedSetRange(keys.milestones, start: 0, stop: -1, descending: false).map(\.member))
        #expect(milestones == ["first_kill", "key_blue_card", "survived_episode", "exit_reached", "exit_without_damage", "exit_under_par"],
                "MAP01's par is 30 s")
        #expect(try await live.sortedSetCount(keys.locations) == 3)
        let progress = try #require(try await live.get(keys.progress))
        #expect(progress.contains("\"locations_this_episode\":[") && progress.contains("\"episodes_completed\":1"), "sets are arrays")
        #expect(try await live.get(keys.stuck)?.contains("known_spots") == true)
        for key in keys.all where key != keys.heartbeat {
            let ttl = try #require(try await live.ttl(key), "\(key) expires")
            #expect(ttl > .seconds(86_000) && ttl <= .seconds(86_400))
        }
        if let redis = live as? RedisLiveStore {
            // The memory budget of docs/live-state.md: a session stays under 128 KiB.
            var bytes = 0
            for key in keys.all { bytes += try await redis.memoryUsage(key) ?? 0 }
            #expect(bytes > 0 && bytes < 128 * 1024, "\(bytes) bytes")
        }

        // SQL has the durable part.
        let stored = try await harness.services.progress.milestones(runID: runID)
        #expect(Set(stored.map(\.milestone)) == milestones)
        let board = try await harness.services.leaderboards.page(boardID: "milestones")
        #expect(board.records == [RankedRecord(rank: 1, owner: "random", score: 6)])
        #expect(try await harness.services.leaderboards.page(boardID: "badges").records.first?.score == 3)
        let summaries = try await harness.services.progress.confidenceTrend(agent: "random")
        #expect(summaries.count == 1 && abs(summaries[0].confidenceMean - 0.7) < 1e-9)

        // A retried attempt replays the episode: nothing is awarded or counted twice.
        try await play(harness, runID: runID, finished: 0, episodes: [0])
        #expect(try await harness.services.progress.milestones(runID: runID).count == 6)
        #expect(try await harness.services.leaderboards.page(boardID: "milestones").records.first?.score == 6)
        #expect(try await harness.services.leaderboards.page(boardID: "badges").records.first?.score == 3)

        // The run completes: its map's boards get its figures, best of.
        try await play(harness, runID: runID, finished: 1, episodes: [1])
        let playing = try #require(try await harness.services.playback.begin(runID: runID, logger: TestDatabase.quietLogger()))
        try await harness.services.playback.completeTest(playing)
        let mapID = try map.requireID().uuidString.lowercased()
        let boards = try await harness.services.leaderboards.boards(mapID: mapID)
        #expect(Set(boards.map(\.id)) == ["map.\(mapID).kills", "map.\(mapID).fastest_exit", "map.\(mapID).fewest_deaths"],
                "no coverage board: the map's geometry is unknown here")
        #expect(try await harness.services.leaderboards.page(boardID: "map.\(mapID).kills").records == [RankedRecord(rank: 1, owner: "random", score: 1)])
        #expect(try await harness.services.leaderboards.page(boardID: "map.\(mapID).fastest_exit").records.first?.score == 0.34)
        #expect(try await live.hashGetAll(keys.state)["status"] == "completed", "the session says how the run ended")

        // Its agent is recorded as a player of the map's experience (docs/player-progress.md), once however often the
        // completion is retried.
        let experience = AgentPlayers.experience(mapID: mapID, map: "MAP01")
        for _ in 0..<2 {
            let versus = try await harness.services.playerAnalytics.humansVersusAgents(experience)
            #expect(versus.agents.count == 2 && versus.agents.finished == 2 && versus.agents.completionRate == 1 && versus.humans.count == 0)
            #expect(versus.agents.medianSecondsToExit.map { abs($0 - 12 / 35) < 0.01 } == true)
            try await harness.services.playback.completeTest(playing)
        }
        let players = PlayerProgressStore(sql: harness.engines.sql)
        let agent = try #require(try await players.profile(userID: "agent:random"))
        #expect(agent.kind == "agent" && agent.totalExperiencesPlayed == 1)
        let played = try #require(try await players.progress(playerID: agent.id, experienceID: experience))
        #expect(played.completionPercentage == 100 && played.completedAt != nil && PlayerProgress.strings(played.state, "inventory") == ["key:blue_card"])
        let history = try await players.events(progressID: played.id, after: nil, limit: 50)
        #expect(history.map(\.eventType).sorted() == ["episode_ended", "episode_ended", "exit_reached", "exit_reached", "item_collected"])
    }

    @Test("a played run fills every key of seed 000 (memory), SQL keeps milestones once and the boards")
    func memory() async throws {
        try await ServicesHarness.with { harness in try await Self.checkPlayedRun(harness) }
    }

    @Test("the same on Redis and PostgreSQL", .enabled(if: LiveStoreEngine.redisURL != nil && TestDatabase.postgresURL != nil))
    func redis() async throws {
        try await ServicesHarness.with(.postgres, configure: {
            $0.live = .redis(url: LiveStoreEngine.redisURL ?? "")
            $0.livePrefix = "test:agents:\(UUID().uuidString):"
        }) { harness in try await Self.checkPlayedRun(harness) }
    }

    @Test("Redis killed mid-run: the run goes on, nothing durable is lost, the boards come back from SQL",
          .enabled(if: RedisServer.isAvailable, "redis-server is not installed (Debian package redis-server)"))
    func redisKilled() async throws {
        let redis = try await RedisServer.started()
        try await ServicesHarness.with(configure: { $0.live = .redis(url: redis.url) }) { harness in
            let map = try await harness.addMap()
            let runID = try await harness.addRun(.testing, on: map, target: 3)
            try await Self.play(harness, runID: runID, finished: 0, episodes: [0])
            try await harness.services.liveRebuild.rebuild()
            await redis.stop()
            // Live writes fail (and are logged); SQL takes everything durable.
            try await Self.play(harness, runID: runID, finished: 1, episodes: [1])
            try await redis.start()
            #expect(try await harness.engines.live.sortedSetCount("leaderboard:milestones") == 0, "Redis came back empty")
            let report = try #require(try await harness.services.liveRebuild.rebuildIfLost())
            #expect(report.boards == 2 && report.sessions == 1)
            #expect(try await harness.engines.live.sortedSetScore("leaderboard:milestones", member: "random") == 6)
            let keys = AgentLiveKeys(agentID: runID)
            #expect(try await harness.engines.live.sortedSetCount(keys.milestones) == 6, "the running agent's milestones are back")
            #expect(try await harness.engines.live.hashGetAll(keys.state)["restored"] == "true")
            #expect(try await harness.services.liveRebuild.rebuildIfLost() == nil, "once is enough")
        }
        await redis.stop()
    }

    @Test("session keys expire after the configured TTL")
    func shortTTL() async throws {
        try await ServicesHarness.with(configure: { $0.agentSessionTTL = .seconds(1) }) { harness in
            let map = try await harness.addMap()
            let runID = try await harness.addRun(.testing, on: map, target: 3)
            try await Self.play(harness, runID: runID, finished: 0, episodes: [0])
            let keys = AgentLiveKeys(agentID: runID)
            #expect(try await harness.engines.live.hashGetAll(keys.state).isEmpty == false)
            let live = harness.engines.live
            try await Deadline.wait("the session keys to expire", within: .seconds(60)) {
                for key in [keys.heartbeat, keys.frames, keys.progress, keys.stuck] {
                    if try await live.get(key) != nil { return false }
                }
                for key in [keys.decisions, keys.rewards] {
                    if try await !live.listRange(key, start: 0, stop: -1).isEmpty { return false }
                }
                for key in [keys.milestones, keys.locations] {
                    if try await live.sortedSetCount(key) > 0 { return false }
                }
                return try await live.hashGetAll(keys.state).isEmpty
            }
        }
    }

    @Test("a stuck spot found in one run is known to the next session of that agent on that map")
    func stuckSpotsCarryAcrossRuns() async throws {
        try await ServicesHarness.with { harness in
            let map = try await harness.addMap()
            let first = try await harness.addRun(.testing, on: map, target: 1)
            let playback = harness.services.playback.with(RecordingOptions(stepBatchSize: 1, stepFlushInterval: .zero, liveInterval: .zero))
            let run = try #require(try await playback.begin(runID: first, logger: TestDatabase.quietLogger()))
            var recorder = try await playback.testRecorder(run, finished: 0, steps: 0)
            try await recorder.record(.episodeStart(EpisodeStartMessage(episode: 0, map: "MAP01")))
            // 20 s standing at (300, 400), then moving off.
            for step in 1...72 { try await recorder.record(.step(StepSample(episode: 0, step: step, tic: step * 10, x: 300, y: 400))) }
            try await recorder.record(.step(StepSample(episode: 0, step: 73, tic: 730, x: 900, y: 400)))
            try await recorder.record(.episodeEnd(EpisodeEndMessage(episode: 0, reason: .timeout, tics: 730, steps: 73, x: 900, y: 400)))
            try await recorder.flush()

            let second = try await harness.addRun(.testing, on: map, target: 1)
            try await Self.play(harness, runID: second, finished: 0, episodes: [0])
            let stuck = try #require(try await harness.engines.live.get(AgentLiveKeys(agentID: second).stuck))
            #expect(stuck.contains("\"run_id\":\"\(first)\"") && stuck.contains("\"x\":300"), "\(stuck)")
        }
    }

    @Test("a board that resets keeps each period's records; reads show the current one, or a past one when asked")
    func resetSchedule() async throws {
        try await ServicesHarness.with { harness in
            let clock = TestClock(Date(timeIntervalSince1970: 1_796_256_000)) // 2026-12-03 00:00 UTC
            let boards = Leaderboards(engines: harness.engines, logger: TestDatabase.quietLogger(), now: { clock.now })
            let daily = LeaderboardDefinition(id: "daily.kills", title: "Kills today", sortOrder: .descending, operator: .incr,
                                              resetSchedule: try CronSchedule("0 0 * * *"))
            try await boards.define(daily)
            clock.now = clock.now.addingTimeInterval(3600)
            try await boards.submit(daily, owner: "navigator", score: 3, writeID: "w1")
            try await boards.submit(daily, owner: "navigator", score: 2, writeID: "w2")
            try await boards.submit(daily, owner: "navigator", score: 2, writeID: "w2")
            let today = try await boards.page(boardID: daily.id)
            #expect(today.records.first?.score == 5 && today.periodStart == 1_796_256_000)
            clock.now = clock.now.addingTimeInterval(86_400)
            #expect(try await boards.page(boardID: daily.id).records.isEmpty, "a new day starts empty")
            try await boards.submit(daily, owner: "explorer", score: 1, writeID: "w3")
            #expect(try await boards.page(boardID: daily.id).records.map(\.owner) == ["explorer"])
            #expect(try await boards.page(boardID: daily.id, period: 1_796_256_000).records.first?.score == 5, "yesterday is kept")
            #expect(try await harness.engines.live.sortedSetCount("leaderboard:daily.kills:1796342400") == 1)
        }
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

@Suite("Agents as players: an episode's events")
struct AgentPlayerEventsTests {
    @Test("sectors are waypoints; keys, weapons, ammo, health, armour and counted items are the inventory, each once; secrets and the exit count")
    func inventory() {
        func at(_ frame: Int, _ detail: TelemetryEventDetail) -> TelemetryEvent { TelemetryEvent(frame: frame, x: 0, y: 0, detail: detail) }
        let episode = EpisodeMetrics(
            episodeNum: 2, kills: 1, deaths: 0, durationSeconds: 30, healthLost: 0, ammoUsed: 0, finalHealth: 100, exitReached: true,
            events: [at(10, .weaponPickup(weapon: 3)), at(11, .ammoPickup(weapon: 3, before: 8, after: 12, amount: 4)),
                     at(12, .ammoPickup(weapon: 3, before: 12, after: 16, amount: 4)), at(13, .healthPickup(before: 80, after: 90, amount: 10)),
                     at(14, .armorPickup(before: 0, after: 100, amount: 100)), at(15, .itemPickup(itemcount: 1)), at(16, .itemPickup(itemcount: 2)),
                     at(20, .secretFound(secretcount: 1)), at(30, .exitReached)])
        let events = AgentPlayers.events(runID: "test_r", episode: episode, sectors: [4, 7], end: 7, keys: ["key:red_card"], at: Date())
        let collected = events.filter { $0.eventType == "item_collected" }.map(\.contentID)
        #expect(collected == ["key:red_card", "weapon:shotgun", "ammo:shotgun", "item:health", "item:armor", "item:1", "item:2"])
        #expect(events.filter { $0.eventType == "waypoint_visited" }.map(\.contentID) == ["sector:4", "sector:7"])
        #expect(events.map(\.eventType).suffix(3) == ["secret_found", "exit_reached", "episode_ended"])
        #expect(Set(events.map(\.clientEventID)).count == events.count, "every event has its own client id: a retry stores none twice")
    }
}
