import Foundation
import Testing
@testable import PlaytestCore

@Suite("Leaderboard rules")
struct LeaderboardRulesTests {
    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("operators combine a submission with the owner's record by the board's order")
    func operators() {
        let best = LeaderboardDefinition(id: "k", title: "k", sortOrder: .descending, operator: .best)
        #expect(best.combine(nil, 5) == 5)
        #expect(best.combine(5, 3) == 5)
        #expect(best.combine(5, 8) == 8)
        let fastest = LeaderboardDefinition(id: "t", title: "t", sortOrder: .ascending, operator: .best)
        #expect(fastest.combine(60, 90) == 60)
        #expect(fastest.combine(60, 45) == 45)
        #expect(LeaderboardDefinition(id: "s", title: "s", sortOrder: .descending, operator: .set).combine(9, 2) == 2)
        #expect(LeaderboardDefinition(id: "i", title: "i", sortOrder: .descending, operator: .incr).combine(9, 2) == 11)
        let decr = LeaderboardDefinition(id: "d", title: "d", sortOrder: .ascending, operator: .decr)
        #expect(decr.combine(nil, 2) == -2)
        #expect(decr.combine(9, 2) == 7)
    }

    @Test("board ids are letters, digits and ._-")
    func ids() {
        #expect(LeaderboardDefinition.isValidID("map.2e0224e1-177d-4b4b-80d0-d4035f7cf33f.kills"))
        for bad in ["", "a b", "a/b", "a:b", String(repeating: "x", count: 121), "é"] { #expect(!LeaderboardDefinition.isValidID(bad), "\(bad)") }
    }

    @Test("a reset schedule's period is its last firing at or before now (UTC)")
    func periods() throws {
        let daily = try CronSchedule("0 0 * * *")
        #expect(daily.periodStart(containing: Self.date("2026-12-03T13:10:00Z")) == Self.date("2026-12-03T00:00:00Z"))
        #expect(daily.periodStart(containing: Self.date("2026-12-03T00:00:00Z")) == Self.date("2026-12-03T00:00:00Z"))
        let weekly = try CronSchedule("30 6 * * 1") // Mondays 06:30
        #expect(weekly.periodStart(containing: Self.date("2026-12-03T13:10:00Z")) == Self.date("2026-11-30T06:30:00Z"))
        #expect(weekly.periodStart(containing: Self.date("2026-11-30T06:29:59Z")) == Self.date("2026-11-23T06:30:00Z"))
        let monthly = try CronSchedule("0 12 1 * *")
        #expect(monthly.periodStart(containing: Self.date("2026-12-01T11:00:00Z")) == Self.date("2026-11-01T12:00:00Z"))
        let quarterHours = try CronSchedule("*/15 9-17 * * 1-5")
        #expect(quarterHours.periodStart(containing: Self.date("2026-12-03T13:10:00Z")) == Self.date("2026-12-03T13:00:00Z"))
        #expect(quarterHours.periodStart(containing: Self.date("2026-12-05T10:00:00Z")) == Self.date("2026-12-04T17:45:00Z"), "Saturday → Friday")
        let sunday = try CronSchedule("0 0 * * 7")
        #expect(sunday.periodStart(containing: Self.date("2026-12-03T13:10:00Z")) == Self.date("2026-11-29T00:00:00Z"), "7 is Sunday")
        #expect(try CronSchedule("0 0 31 2 *").periodStart(containing: Self.date("2026-12-03T00:00:00Z")) == nil, "never fires")
    }

    @Test("a malformed schedule says which field is wrong")
    func malformed() {
        for text in ["", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *"] {
            #expect(throws: CronSchedule.ParseError.self, "\(text)") { try CronSchedule(text) }
        }
        #expect((try? CronSchedule("60 * * * *")).map { _ in "" } == nil)
        do { _ = try CronSchedule("* 24 * * *") } catch { #expect(error.description.contains("hour")) }
    }
}
