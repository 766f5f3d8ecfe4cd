import Foundation
import PlaytestCore
import PlaytestTestSupport
import Testing
@testable import PlaytestStorage

/// Seed 002's tables behind one store, on SQLite (JSON text) and PostgreSQL (JSONB).
@Suite("Player progress store")
struct PlayerProgressStoreTests {
    @Test(arguments: TestDatabase.available)
    func versionsEventsTotalsAndCascade(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let users = UserStore(sql: db.engine)
            let user = UserRecord(email: "p@example.com", passwordHash: "x", role: .user)
            _ = try await users.insert(user)
            let store = PlayerProgressStore(sql: db.engine)
            let profile = try await store.ensureProfile(userID: user.id)
            #expect(try await store.ensureProfile(userID: user.id).id == profile.id, "one profile per user")
            #expect(profile.stats == [:] && profile.accountLevel == 1)

            let now = Date()
            var record = ExperienceProgressRecord(
                id: UUID().uuidString.lowercased(), playerID: profile.id, experienceID: "m/MAP01", startedAt: now, completedAt: nil,
                lastPlayedAt: now, playtimeSeconds: 30, completionPercentage: 10, currentLocation: "w1",
                state: ["inventory": ["torch"], "visited_waypoints": ["w1"], "nested": ["a": 1.5]], version: 1, createdAt: now, updatedAt: now)
            #expect(try await store.save(record))
            #expect(try await store.save(record) == false, "a second version 1 loses")
            record.version = 2
            record.state = ["inventory": ["torch", "key"]]
            #expect(try await store.save(record))
            #expect(try await store.save(record) == false, "a stale version loses")
            let read = try #require(try await store.progress(playerID: profile.id, experienceID: "m/MAP01"))
            #expect(read.version == 2 && read.state == ["inventory": ["torch", "key"]] && read.currentLocation == "w1")

            let events = (1...3).map { index in
                ProgressEventRecord(id: UUID().uuidString.lowercased(), eventType: "waypoint_visited", contentID: "w\(index)",
                                    data: ["distance_traveled": .number(JSONNumber(index))], locationLat: 37.9, locationLng: -122.5,
                                    timestamp: now.addingTimeInterval(Double(index)), clientEventID: "c\(index)")
            }
            let committed = try #require(try await store.commit(events, to: read) { stored, record in
                record.currentLocation = stored.last?.contentID
            })
            #expect(committed.stored.count == 3 && committed.record.version == 3 && committed.record.distanceMeters == 6)
            #expect(try await store.commit(events, to: read) { _, _ in } == nil, "a stale read commits nothing")
            let again = try #require(try await store.commit(events, to: committed.record) { _, _ in })
            #expect(again.stored.isEmpty && again.record.distanceMeters == 6, "client ids make a retry a no-op")
            let first = try await store.events(progressID: read.id, after: nil, limit: 2)
            #expect(first.map(\.contentID) == ["w1", "w2"] && first[0].data == ["distance_traveled": 1])
            #expect(try await store.events(progressID: read.id, after: first.last?.id, limit: 5).map(\.contentID) == ["w3"])

            let kept = try #require(try await store.profile(userID: user.id))
            #expect(kept.totalDistanceMeters == 6, "a commit adds its distance to the profile")
            try await store.refreshTotals(playerID: profile.id)
            let totals = try #require(try await store.profile(userID: user.id))
            #expect(totals.totalExperiencesPlayed == 1 && totals.totalPlaytimeSeconds == 30 && totals.totalDistanceMeters == 6)
            #expect(try await store.activePlayers(since: now.addingTimeInterval(-60)) == 1)

            _ = try await users.delete(id: user.id, reassignTo: nil)
            #expect(try await store.profile(userID: user.id) == nil, "deleting the user cascades")
            #expect(try await store.events(progressID: read.id, after: nil, limit: 10).isEmpty)
        }
    }

    /// The roll-ups the analytics read agree with the event log: queued by each commit, folded in batches, rebuilt from
    /// scratch the same, and a deleted player's counts leave with them, folded or still queued.
    @Test(arguments: TestDatabase.available)
    func rollupsFollowTheEventLog(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let users = UserStore(sql: db.engine)
            let store = PlayerProgressStore(sql: db.engine)
            let analytics = PlayerAnalyticsStore(sql: db.engine)
            let now = Date()
            var ids: [String] = []
            for (index, completion) in [100.0, 60.0, 10.0].enumerated() {
                let user = UserRecord(email: "p\(index)@example.com", passwordHash: "x", role: .user)
                _ = try await users.insert(user)
                ids.append(user.id)
                let profile = try await store.ensureProfile(userID: user.id)
                let fresh = ExperienceProgressRecord(
                    id: UUID().uuidString.lowercased(), playerID: profile.id, experienceID: "m/MAP01", startedAt: now, completedAt: nil,
                    lastPlayedAt: now, playtimeSeconds: 0, completionPercentage: 0, currentLocation: nil, state: [:], version: 0,
                    createdAt: now, updatedAt: now)
                // Player 0 visits w1 two hours and one minute ago and w2; player 1 w1 (a minute ago) and w2; player 2 w1 two
                // hours ago. 10 s spent per visit.
                var events = [("w1", -7200.0), ("w1", -60.0), ("w2", -30.0)].prefix(index == 2 ? 1 : 3).map { content, ago in
                    ProgressEventRecord(id: UUID().uuidString.lowercased(), eventType: "waypoint_visited", contentID: content,
                                        data: ["time_spent": 10], locationLat: nil, locationLng: nil, timestamp: now.addingTimeInterval(ago),
                                        clientEventID: nil)
                }
                if index == 1 { events.remove(at: 0) }
                _ = try #require(try await store.commit(events, to: fresh) { _, record in
                    record.completionPercentage = completion
                    record.playtimeSeconds = 600 * (index + 1)
                    if completion >= 100 { record.completedAt = now }
                })
            }
            let agent = try await users.ensureAgentUser("navigator")
            let listed = try await users.all()
            #expect(try await users.count() == 3 && !listed.contains { $0.id == agent }, "agents are not users anyone manages")
            let agentProfile = try await store.ensureProfile(userID: agent, kind: "agent")
            #expect(agentProfile.kind == "agent")
            let agentEvents = [ProgressEventRecord(id: UUID().uuidString.lowercased(), eventType: "waypoint_visited", contentID: "w1", data: [:],
                                                   locationLat: nil, locationLng: nil, timestamp: now, clientEventID: "run:1:s1")]
            _ = try #require(try await store.commit(agentEvents, to: ExperienceProgressRecord(
                id: UUID().uuidString.lowercased(), playerID: agentProfile.id, experienceID: "m/MAP01", startedAt: now, completedAt: nil,
                lastPlayedAt: now, playtimeSeconds: 0, completionPercentage: 0, currentLocation: nil, state: [:], version: 0,
                createdAt: now, updatedAt: now)) { _, _ in })

            #expect(try await store.rollupBacklog() == 7, "six human visits and the agent's wait for a fold")
            #expect(try await analytics.topContent(experienceID: "m/MAP01", eventType: "waypoint_visited", kind: "human", limit: 5).isEmpty)
            #expect(try await store.foldRollups(limit: 4) == 4)
            #expect(try await store.foldRollups(limit: 4) == 3)
            #expect(try await store.foldRollups(limit: 4) == 0)
            #expect(try await store.rollupBacklog() == 0)

            func check() async throws {
                let week = try await analytics.engagement(experienceID: "m/MAP01", eventType: "waypoint_visited", contentID: "w1", kind: "human",
                                                          since: now.addingTimeInterval(-7 * 86_400))
                #expect(week.visits == 4 && week.uniquePlayers == 3 && week.timeSpent == 40)
                let lastHour = try await analytics.engagement(experienceID: "m/MAP01", eventType: "waypoint_visited", contentID: "w1",
                                                              kind: "human", since: now.addingTimeInterval(-1800))
                #expect(lastHour.uniquePlayers == 2, "player 2 was last at w1 two hours ago")
                let top = try await analytics.topContent(experienceID: "m/MAP01", eventType: "waypoint_visited", kind: "human", limit: 5)
                #expect(top.map(\.contentID) == ["w1", "w2"] && top.map(\.players) == [3, 2] && top.map(\.visits) == [4, 2])
                let agents = try await analytics.topContent(experienceID: "m/MAP01", eventType: "waypoint_visited", kind: "agent", limit: 5)
                #expect(agents.map(\.visits) == [1], "agents are counted apart")
            }
            try await check()
            try await store.rebuildRollups()
            try await check()

            let figures = try await analytics.figures(experienceID: "m/MAP01")
            #expect(figures.players == 3 && figures.completed == 1 && figures.past50 == 2 && figures.past75 == 1, "the agent is not a human player")
            #expect(figures.playtime == [0, 0, 1, 1, 1, 0, 0], "600, 1200 and 1800 s")
            #expect(figures.medianPlaytime == 1200 && figures.p90Playtime == 1800 && figures.medianPlaytimeCompleted == 600)
            #expect(try await store.distanceLeaders(experienceID: "m/MAP01", limit: 5).isEmpty)

            /// One more visit by a player already in the experience.
            func visit(_ userID: String, _ content: String, spending seconds: Int) async throws {
                let profile = try #require(try await store.profile(userID: userID))
                let progress = try #require(try await store.progress(playerID: profile.id, experienceID: "m/MAP01"))
                _ = try #require(try await store.commit([ProgressEventRecord(
                    id: UUID().uuidString.lowercased(), eventType: "waypoint_visited", contentID: content, data: ["time_spent": .number(JSONNumber(seconds))],
                    locationLat: nil, locationLng: nil, timestamp: now, clientEventID: nil)], to: progress) { _, _ in })
            }

            // Player 1 visits w2 again: one more visit, not one more player.
            try await visit(ids[1], "w2", spending: 5)
            #expect(try await store.foldRollups() == 1)
            let again = try await analytics.topContent(experienceID: "m/MAP01", eventType: "waypoint_visited", kind: "human", limit: 5)
            #expect(again.map(\.players) == [3, 2] && again.map(\.visits) == [4, 3] && again.last?.timeSpent == 25)

            // One more visit by player 0, still queued when they are deleted: it must not reach the counts either.
            try await visit(ids[0], "w1", spending: 10)
            #expect(try await store.rollupBacklog() == 1)
            #expect(try await store.deleteAll(userID: ids[0]))
            #expect(try await store.rollupBacklog() == 0, "the queued visit left with its player")
            #expect(try await store.foldRollups() == 0)
            let after = try await analytics.engagement(experienceID: "m/MAP01", eventType: "waypoint_visited", contentID: "w1", kind: "human",
                                                       since: now.addingTimeInterval(-7 * 86_400))
            #expect(after.visits == 2 && after.uniquePlayers == 2 && after.timeSpent == 20, "the deleted player's visits left the counts")
            let top = try await analytics.topContent(experienceID: "m/MAP01", eventType: "waypoint_visited", kind: "human", limit: 5)
            #expect(top.map(\.players) == [2, 1])
        }
    }
}
