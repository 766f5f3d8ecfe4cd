import Foundation
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

@Suite("Finding store")
struct FindingStoreTests {
    static func seen(_ kind: PlayFindingKind, _ x: Double, _ y: Double, tic: Int) -> FindingObservation {
        FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: "seen at \(tic)", x: x, y: y, episode: 1, tic: tic)
    }

    @Test("a run's sightings: the timed ones in time order, then the run's own (an unvisited area)", arguments: TestDatabase.available)
    func runSightings(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = FindingStore(sql: database.engine)
            let area = FindingObservation(kind: "unvisited_area", severity: .info, source: .play, message: "not entered", x: 500, y: 500, sector: 3)
            #expect(try await store.record([area, Self.seen(.stuck, 0, 0, tic: 70), Self.seen(.deathHotspot, 900, 0, tic: 35)],
                                           mapName: "Room", level: "MAP01", mapID: "v1", runID: "run_1") == 3)
            let sightings = try await store.playSightings(runID: "run_1")
            #expect(sightings.map(\.finding.kind) == ["death_hotspot", "stuck", "unvisited_area"])
            #expect(sightings.map(\.sighting.tic) == [35, 70, nil])
        }
    }

    @Test("concurrent recordings of one map all land: one finding per place, every version's sighting counted",
          arguments: TestDatabase.available)
    func concurrentRecordings(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = FindingStore(sql: database.engine)
            let checks = [FindingObservation(kind: "missing_texture", severity: .error, source: .map, message: "line 3", x: 0, y: 0),
                          FindingObservation(kind: "unclosed_sector", severity: .error, source: .map, message: "sector 1", x: 800, y: 0)]
            // Each reads the map's findings and then writes: on SQLite a deferred transaction failed here with
            // SQLITE_BUSY_SNAPSHOT whenever another committed between its read and its first write; on PostgreSQL two
            // read no finding near a place and both started one (18 findings for 2 places).
            let added = try await withThrowingTaskGroup(of: Int.self) { group in
                for version in 0..<12 {
                    group.addTask { try await store.record(checks, mapName: "Busy", level: "MAP01", mapID: "v\(version)", runID: nil) }
                }
                return try await group.reduce(0, +)
            }
            #expect(added == 24)
            let page = try await store.list(FindingFilter(mapName: "Busy"), offset: 0, limit: 50)
            #expect(page.records.count == 2)
            #expect(page.records.map(\.occurrences).sorted() == [12, 12])
        }
    }

    @Test("the text search reads the trigram index: any substring, any case, the kind's name; rewordings, deletions and a VACUUM followed",
          arguments: TestDatabase.available)
    func textSearch(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = FindingStore(sql: database.engine)
            func message(_ text: String, _ x: Double) -> FindingObservation {
                FindingObservation(kind: "missing_texture", severity: .error, source: .map, message: text, x: x, y: 0)
            }
            func found(_ text: String) async throws -> [String] {
                try await store.list(FindingFilter(text: text), offset: 0, limit: 50).records.map(\.message).sorted()
            }
            try await store.record([message("A hall-of-mirrors smear on line 12", 0), message("Sector 7 uses an unknown flat", 1000)],
                                   mapName: "Gone", level: "MAP01", mapID: "g1", runID: nil)
            try await store.record([message("Linedef 40: HALL of mirrors", 0), message("The lift is too narrow", 1000)],
                                   mapName: "Room", level: "MAP01", mapID: "v1", runID: nil)
            try await store.record([FindingObservation(kind: "death_hotspot", severity: .info, source: .play, message: "A player died here.",
                                                       x: 0, y: 0, episode: 1, tic: 5)], mapName: "Room", level: "MAP01", mapID: "v1", runID: "run_1")
            #expect(try await found("all-of-mi") == ["A hall-of-mirrors smear on line 12"])
            #expect(try await found("Hall") == ["A hall-of-mirrors smear on line 12", "Linedef 40: HALL of mirrors"])
            #expect(try await found("hotspot") == ["A player died here."], "the kind's name")
            #expect(try await found("ir").count == 2, "shorter than a trigram: still every match")
            #expect(try await found("zebra").isEmpty)
            // A later sighting rewords the message: the index follows.
            try await store.record([message("The lift is 30 units wide", 1000)], mapName: "Room", level: "MAP01", mapID: "v2", runID: nil)
            #expect(try await found("narrow").isEmpty)
            #expect(try await found("30 units") == ["The lift is 30 units wide"])
            // A map's findings deleted (its last version went), then the rows renumbered: SQLite's VACUUM gives rowids anew.
            try await database.engine.sql.raw("DELETE FROM findings WHERE map_name = 'Gone'").run()
            if kind == .sqlite { try await database.engine.sql.raw("VACUUM").run() }
            #expect(try await found("mirrors") == ["Linedef 40: HALL of mirrors"])
            #expect(try await found("flat").isEmpty)
            try await store.record([message("Sector 9 has a flat no WAD defines", 5000)], mapName: "Room", level: "MAP02", mapID: "v2", runID: nil)
            #expect(try await found("flat") == ["Sector 9 has a flat no WAD defines"])
            #expect(try await found("mirrors") == ["Linedef 40: HALL of mirrors"], "a new finding takes no other's place in the index")
        }
    }

    @Test("a common text counts its first matches only, and says so; a rare one counts them all; the page is the same either way",
          arguments: TestDatabase.available)
    func textSearchCountLimit(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = FindingStore(sql: database.engine)
            // Five smears, worst first by occurrences (seen 5, 4, … 1 times), and one rare message.
            for seen in 1...5 {
                let smears = (seen...5).map { n in
                    FindingObservation(kind: "missing_texture", severity: .error, source: .map, message: "Line \(n): a HALL-of-mirrors smear",
                                       x: Double(n) * 1000, y: 0)
                }
                try await store.record(smears, mapName: "Room", level: "MAP01", mapID: "v\(seen)", runID: nil)
            }
            try await store.record([FindingObservation(kind: "stuck", severity: .warning, source: .play, message: "Stuck by the écho pillar",
                                                        x: 0, y: 9000, episode: 1, tic: 3)], mapName: "Room", level: "MAP01", mapID: "v5", runID: "run_1")
            let common = try await store.list(FindingFilter(text: "hall"), offset: 0, limit: 50, countLimit: 3)
            #expect(!common.exact && common.total == 3 && common.kinds == ["missing_texture": 3] && common.severities == ["error": 3])
            #expect(common.records.map(\.message) == (1...5).reversed().map { "Line \($0): a HALL-of-mirrors smear" }, "every match, worst first")
            let paged = try await store.list(FindingFilter(text: "hall"), offset: 3, limit: 2, countLimit: 3)
            #expect(paged.records.map(\.occurrences) == [2, 1])
            let counted = try await store.list(FindingFilter(text: "hall"), offset: 0, limit: 50, countLimit: 5)
            #expect(counted.exact && counted.total == 5, "exactly the limit: all of them")
            #expect(try await store.list(FindingFilter(text: "mirrors smear"), offset: 0, limit: 2, countLimit: 6).total == 5)
            let rare = try await store.list(FindingFilter(text: "pillar"), offset: 0, limit: 50, countLimit: 3)
            #expect(rare.exact && rare.total == 1 && rare.kinds == ["stuck": 1])
            let mixed = try await store.list(FindingFilter(status: .open, text: "line 4"), offset: 0, limit: 50, countLimit: 1)
            #expect(mixed.exact && mixed.total == 1 && mixed.records.first?.occurrences == 4)
            let named = try await store.list(FindingFilter(text: "textur"), offset: 0, limit: 2, countLimit: 3)
            #expect(!named.exact && named.total == 3 && named.records.map(\.occurrences) == [5, 4], "a kind's name, no message")
            let either = try await store.list(FindingFilter(text: "stuck"), offset: 0, limit: 50, countLimit: 3)
            #expect(either.exact && either.total == 1 && either.records.map(\.kind) == ["stuck"], "the kind's name and a message, once")
        }
    }

    @Test(arguments: TestDatabase.available)
    func clusteringTriageAndFilters(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = FindingStore(sql: database.engine)
            let texture = FindingObservation(kind: "missing_texture", severity: .error, source: .map, message: "line 3", x: 10, y: 10, line: 3)
            #expect(try await store.record([texture], mapName: "Room", level: "MAP01", mapID: "v1", runID: nil) == 1)
            #expect(try await store.record([texture], mapName: "Room", level: "MAP01", mapID: "v1", runID: nil) == 0, "the same upload once")
            #expect(try await store.hasMapSightings(mapID: "v1", level: "MAP01"))
            #expect(try await !store.hasMapSightings(mapID: "v1", level: "MAP02"))
            #expect(try await store.record([texture], mapName: "Room", level: "MAP01", mapID: "v2", runID: nil) == 1)

            let run = [Self.seen(.stuck, 0, 0, tic: 10), Self.seen(.stuck, 30, 40, tic: 20), Self.seen(.stuck, 0, 100, tic: 30),
                       Self.seen(.deathHotspot, 0, 0, tic: 40)]
            #expect(try await store.record(run, mapName: "Room", level: "MAP01", mapID: "v2", runID: "run_1") == 4)
            #expect(try await store.record(run, mapName: "Room", level: "MAP01", mapID: "v2", runID: "run_1") == 0)
            // Another map's name is another lineage.
            #expect(try await store.record([texture], mapName: "Hall", level: "MAP01", mapID: "h1", runID: nil) == 1)

            let all = try await store.list(FindingFilter(mapName: "Room"), offset: 0, limit: 50)
            #expect(all.total == 4 && all.kinds == ["missing_texture": 1, "stuck": 2, "death_hotspot": 1])
            #expect(all.severities == ["error": 1, "warning": 2, "info": 1])
            #expect(all.records.map(\.kind) == ["missing_texture", "stuck", "stuck", "death_hotspot"], "errors first, then the most seen")
            #expect(all.records[0].occurrences == 2 && all.records[0].lastMapID == "v2")
            #expect(all.records[1].occurrences == 2 && all.records[1].lastRunID == "run_1" && all.records[1].lastTic == 20)

            let stuck = try await store.list(FindingFilter(mapName: "Room", kind: "stuck"), offset: 1, limit: 1)
            #expect(stuck.total == 2 && stuck.records.count == 1 && stuck.records[0].occurrences == 1)
            #expect(try await store.list(FindingFilter(runID: "run_1"), offset: 0, limit: 50).total == 3)
            // A run's play sightings in time order, each with its finding (the moments a video marks).
            let sightings = try await store.playSightings(runID: "run_1")
            #expect(sightings.map(\.sighting.tic) == [10, 20, 30, 40] && sightings.map(\.finding.kind) == ["stuck", "stuck", "stuck", "death_hotspot"])
            #expect(sightings[1].sighting.x == 30 && sightings[1].finding.id == sightings[0].finding.id, "the second stuck spot joins the first")
            #expect(try await store.playSightings(runID: "run_2").isEmpty)
            #expect(try await store.list(FindingFilter(text: "LINE 3"), offset: 0, limit: 50).total == 2)
            #expect(try await store.list(FindingFilter(severity: .info), offset: 0, limit: 50).total == 1)

            let id = all.records[0].id
            #expect(try await store.seen(all.records.map(\.id), inMaps: ["v1"]) == [FindingStore.Seen(finding: id, map: "v1")])
            #expect(try await store.seen(all.records.map(\.id), inMaps: ["v2"]).count == 4)
            #expect(try await store.checkedMaps(["v1", "v2", "h1", "v9"]) == ["v1", "v2", "h1"])
            try await store.triage(findingID: id, status: .wontFix, comment: "Intended.", userID: "u1", author: "a@example.com")
            try await store.triage(findingID: id, status: nil, comment: "Really.", userID: "u2", author: "b@example.com")
            let triaged = try #require(try await store.finding(id: id))
            #expect(triaged.status == .wontFix && triaged.statusBy == "u1" && triaged.statusAt != nil)
            #expect(try await store.comments(findingID: id).map(\.body) == ["Intended.", "Really."])
            #expect(try await store.list(FindingFilter(status: .wontFix), offset: 0, limit: 50).total == 1)
            #expect(try await store.sightings(findingID: id, limit: 10).map(\.mapID).sorted() == ["v1", "v2"])

            // The kept counts are what a scan of the findings counts.
            func groups(_ query: SQLQueryString) async throws -> Set<[String]> {
                Set(try await database.engine.sql.raw(query).all().map { row in
                    try ["map_name", "level", "kind", "severity", "status"].map { try row.decode(column: $0, as: String.self) }
                        + [String(try row.decode(column: "n", as: Int.self))]
                })
            }
            let scanned = try await groups("""
                SELECT map_name, level, kind, severity, status, COUNT(*) AS n FROM findings GROUP BY map_name, level, kind, severity, status
                """)
            let kept = try await groups("SELECT map_name, level, kind, severity, status, n FROM finding_counts WHERE n > 0 AND map_name <> ''")
            #expect(scanned == kept && scanned.count == 4)
            #expect(try await store.list(FindingFilter(), offset: 0, limit: 1).severities == ["error": 2, "warning": 2, "info": 1],
                    "the counts over every map")

            try await store.forget(userID: "u1")
            #expect(try await store.finding(id: id)?.statusBy == nil)
            #expect(try await store.comments(findingID: id).map(\.author) == ["b@example.com"])
        }
    }
}
