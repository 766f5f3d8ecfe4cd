import Testing
@testable import PlaytestCore

@Suite("Milestones")
struct MilestoneTrackerTests {
    @Test("kills, secrets, keys and coverage are each awarded once, when their counter first reaches the mark")
    func stepMilestones() {
        var tracker = MilestoneTracker(map: "E1M1")
        #expect(tracker.observe(StepSample(episode: 1, step: 1, tic: 4), coverage: 0.1).isEmpty)
        let firstKill = tracker.observe(StepSample(episode: 1, step: 2, tic: 8, x: 10, y: 20, killcount: 1), coverage: 0.1)
        #expect(firstKill == [MilestoneAward(milestone: .firstKill, episode: 1, tic: 8, x: 10, y: 20)])
        #expect(tracker.observe(StepSample(episode: 1, step: 3, tic: 12, killcount: 2), coverage: 0.1).isEmpty, "once")
        // A jump past two marks at once (telemetry every few steps) awards both.
        let jump = tracker.observe(StepSample(episode: 1, step: 4, tic: 16, killcount: 26, secretcount: 1, keys: ["blue_card"]),
                                   coverage: 0.5)
        #expect(Set(jump.map(\.milestone)) == [.kills10, .kills25, .firstSecret, .blueCard, .coverage25, .coverage50])
        #expect(tracker.observe(StepSample(episode: 2, step: 1, tic: 4, killcount: 30, keys: ["blue_card", "red_skull"]), coverage: 0.5)
            .map(\.milestone) == [.redSkull], "a new episode does not award again what the session holds")
        #expect(tracker.observe(StepSample(episode: 2, step: 2, tic: 8, keys: ["not_a_key"]), coverage: nil).isEmpty)
    }

    @Test("the end of an episode: survival, the exit, the exit without damage and under par")
    func endMilestones() {
        var tracker = MilestoneTracker(map: "E1M1") // par 30 s
        let died = tracker.finish(EpisodeEndMessage(episode: 1, reason: .death, tics: 500, damageTaken: 100, dead: true))
        #expect(died.isEmpty)
        let slowExit = tracker.finish(EpisodeEndMessage(episode: 2, reason: .exit, tics: 35 * 31, damageTaken: 0))
        #expect(Set(slowExit.map(\.milestone)) == [.survivedEpisode, .exitReached, .exitWithoutDamage])
        let fastExit = tracker.finish(EpisodeEndMessage(episode: 3, reason: .exit, tics: 35 * 30, damageTaken: 5))
        #expect(fastExit.map(\.milestone) == [.exitUnderPar])
        var unknownPar = MilestoneTracker(map: "MAP33")
        #expect(!unknownPar.finish(EpisodeEndMessage(episode: 1, reason: .exit, tics: 35)).map(\.milestone).contains(.exitUnderPar))
    }

    @Test("what a session already holds (a resumed run) is never awarded again")
    func seededTracker() {
        var tracker = MilestoneTracker(held: [.firstKill, .exitReached], map: "MAP01")
        #expect(tracker.observe(StepSample(episode: 3, step: 1, tic: 4, killcount: 1), coverage: nil).isEmpty)
        #expect(tracker.finish(EpisodeEndMessage(episode: 3, reason: .exit, tics: 35 * 60, damageTaken: 1)).map(\.milestone)
                    == [.survivedEpisode])
    }

    @Test("par times by slot; other names have none")
    func parTimes() {
        #expect(ParTimes.seconds(map: "E1M1") == 30)
        #expect(ParTimes.seconds(map: "e3m9") == 135)
        #expect(ParTimes.seconds(map: "MAP01") == 30)
        #expect(ParTimes.seconds(map: "MAP32") == 30)
        #expect(ParTimes.seconds(map: "MAP07") == 120)
        for name in ["E4M1", "E1M0", "MAP00", "MAP33", "START", "", "MAPXX"] { #expect(ParTimes.seconds(map: name) == nil, "\(name)") }
    }

    @Test("every milestone has a distinct id and a title; keys map to their milestone")
    func table() {
        #expect(Set(Milestone.allCases.map(\.rawValue)).count == Milestone.allCases.count)
        #expect(Milestone.allCases.allSatisfy { !$0.title.isEmpty })
        #expect(Milestone(key: "yellow_skull") == .yellowSkull)
        #expect(Milestone(key: "green_card") == nil)
        #expect(Milestone.allCases.sorted() == Milestone.allCases)
    }
}
