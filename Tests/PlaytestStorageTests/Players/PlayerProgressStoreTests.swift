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
            #expect(try await store.append(events, progressID: read.id).count == 3)
            #expect(try await store.append(events, progressID: read.id).isEmpty, "client ids make a retry a no-op")
            let first = try await store.events(progressID: read.id, after: nil, limit: 2)
            #expect(first.map(\.contentID) == ["w1", "w2"] && first[0].data == ["distance_traveled": 1])
            #expect(try await store.events(progressID: read.id, after: first.last?.id, limit: 5).map(\.contentID) == ["w3"])

            try await store.refreshTotals(playerID: profile.id)
            let totals = try #require(try await store.profile(userID: user.id))
            #expect(totals.totalExperiencesPlayed == 1 && totals.totalPlaytimeSeconds == 30 && totals.totalDistanceMeters == 6)
            #expect(try await store.activePlayers(since: now.addingTimeInterval(-60)) == 1)

            _ = try await users.delete(id: user.id, reassignTo: nil)
            #expect(try await store.profile(userID: user.id) == nil, "deleting the user cascades")
            #expect(try await store.events(progressID: read.id, after: nil, limit: 10).isEmpty)
        }
    }
}
