import PlaytestCore
@testable import PlaytestWorker
import Testing

@Suite("Run time limits")
struct RunTimeLimitsTests {
    @Test("a spec changes the kinds it names; a missing hard limit is the soft one plus a tenth, at least a minute")
    func parses() throws {
        let limits = try RunTimeLimits.standard.overridden(by: "test=30m/45m, train=1h30m")
        #expect(limits[.testing] == .init(soft: .seconds(1800), hard: .seconds(2700)))
        #expect(limits[.training] == .init(soft: .seconds(5400), hard: .seconds(5940)))
        let short = try RunTimeLimits([:]).overridden(by: "test=90s")
        #expect(short[.testing] == .init(soft: .seconds(90), hard: .seconds(150)))
        #expect(short[.training] == nil)
        #expect(try RunTimeLimits.standard.overridden(by: "") == .standard)
    }

    @Test("a bad spec is refused with what is wrong", arguments: [
        ("fly=30m", "KIND=SOFT[/HARD]"), ("test", "KIND=SOFT[/HARD]"), ("test=30x", "not a duration"), ("test=0s", "not a duration"),
        ("test=30m/10m", "shorter than the soft one"), ("test=30m/", "not a duration"), ("test=8d", "not a duration"),
    ])
    func refuses(_ spec: String, _ message: String) {
        #expect {
            _ = try RunTimeLimits.standard.overridden(by: spec)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("limits read as people write them")
    func describes() {
        #expect(RunTimeLimits.describe(.seconds(3)) == "3 s")
        #expect(RunTimeLimits.describe(.seconds(8100)) == "2 h 15 min")
        #expect(RunTimeLimits.describe(.seconds(1800)) == "30 min")
    }
}
