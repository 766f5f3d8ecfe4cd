import Testing
@testable import PlaytestCore

@Suite("HardnessScore")
struct HardnessScoreTests {
    /// A middling run to vary one input at a time.
    static func baseline() -> AggregateMetrics {
        AggregateMetrics(episodes: [
            MetricsTests.episode(0, kills: 4, died: true, healthLost: 100, seconds: 45),
            MetricsTests.episode(1, kills: 6, healthLost: 40, seconds: 120, exit: true),
            MetricsTests.episode(2, kills: 5, healthLost: 60, seconds: 150, exit: true),
        ])
    }

    func score(_ change: (inout AggregateMetrics) -> Void, mapHasExit: Bool = true) -> Double {
        var metrics = Self.baseline()
        change(&metrics)
        return HardnessScore(aggregate: metrics, mapHasExit: mapHasExit)?.score ?? -1
    }

    /// Scores for increasing values of one input.
    func sweep(_ values: [Double], mapHasExit: Bool = true, _ set: @escaping (inout AggregateMetrics, Double) -> Void) -> [Double] {
        values.map { value in score({ set(&$0, value) }, mapHasExit: mapHasExit) }
    }

    func isNonDecreasing(_ scores: [Double]) -> Bool { zip(scores, scores.dropFirst()).allSatisfy { $0 <= $1 } }

    @Test func risesWithTheDeathRate() {
        let scores = sweep([1, 0.8, 0.5, 0.2, 0]) { $0.survivalRate = $1 }
        #expect(isNonDecreasing(scores))
        #expect(scores[0] < scores[4])
    }

    @Test func risesWithHealthLostPerMinute() {
        let scores = sweep([0, 10, 60, 200, 1000, 1e9]) { $0.healthLostPerMinute = $1 }
        #expect(isNonDecreasing(scores))
        #expect(scores[0] < scores[5])
    }

    @Test func risesWithKillsNeeded() {
        let scores = sweep([0, 1, 5, 20, 100]) { $0.meanKills = $1 }
        #expect(isNonDecreasing(scores))
        #expect(scores[0] < scores[4])
    }

    @Test func risesWithTimeToExit() {
        let scores = sweep([10, 60, 300, 3000]) { $0.meanTimeToExitSeconds = $1 }
        #expect(isNonDecreasing(scores))
        #expect(scores[0] < scores[3])
    }

    @Test func fallsWithTheExitRate() {
        let scores = sweep([0, 0.25, 0.5, 1]) { $0.exitRate = $1 }
        #expect(isNonDecreasing(scores.reversed()))
        #expect(scores[0] > scores[3])
        // Reaching the exit at all is easier than never reaching it, however long it took.
        let never = score {
            $0.exitRate = 0
            $0.meanTimeToExitSeconds = nil
        }
        let slowly = score {
            $0.exitRate = 0.1
            $0.meanTimeToExitSeconds = 1e6
        }
        #expect(never > slowly)
    }

    @Test func staysBetweenZeroAndOneHundred() {
        let walk = AggregateMetrics(episodes: [MetricsTests.episode(0, kills: 0, healthLost: 0, seconds: 20, exit: true)])
        var massacre = AggregateMetrics(episodes: [MetricsTests.episode(0, kills: 500, died: true, healthLost: 100, seconds: 1)])
        massacre.healthLostPerMinute = .infinity
        let easy = HardnessScore(aggregate: walk)
        let hard = HardnessScore(aggregate: massacre)
        #expect(easy.map { $0.score >= 0 && $0.score < 25 } == true)
        #expect(easy?.band == .easy)
        #expect(hard.map { $0.score > 90 && $0.score <= 100 } == true)
        #expect(hard?.band == .brutal)
    }

    @Test func aMapWithoutAnExitIsScoredWithoutTheExitPressures() {
        let arena = HardnessScore(aggregate: Self.baseline(), mapHasExit: false)
        #expect(arena?.components.map(\.name) == ["death_rate", "health_lost_per_minute", "kills_needed"])
        // Exits do not matter there.
        #expect(score({ $0.exitRate = 0 }, mapHasExit: false) == score({ $0.exitRate = 1 }, mapHasExit: false))
        let scores = sweep([1, 0.5, 0], mapHasExit: false) { $0.survivalRate = $1 }
        #expect(isNonDecreasing(scores) && scores[0] < scores[2])
    }

    @Test func thereIsNoScoreWithoutEpisodes() {
        #expect(HardnessScore(aggregate: AggregateMetrics(episodes: [])) == nil)
    }

    @Test func theScoreIsTheWeightedMeanOfItsComponents() throws {
        let hardness = try #require(HardnessScore(aggregate: Self.baseline()))
        let weighted = hardness.components.reduce(0) { $0 + $1.weight * $1.value }
        let total = hardness.components.reduce(0) { $0 + $1.weight }
        #expect(abs(hardness.score - 100 * weighted / total) <= 0.05)
        #expect(hardness.components.allSatisfy { (0...1).contains($0.value) })
    }

    /// A bot that stood at its start (no kill, no damage, 1% of the map walked) does not make a map look easy.
    @Test func onlyEpisodesThatEngagedTheMapCount() throws {
        let standing = MetricsTests.episode(3, kills: 0, seconds: 300, coverage: 0.01)
        let played = [
            MetricsTests.episode(1, kills: 6, healthLost: 40, seconds: 120, exit: true, coverage: 0.4),
            MetricsTests.episode(2, kills: 2, died: true, healthLost: 100, seconds: 50, coverage: 0.2),
        ]
        let withBot = try #require(HardnessScore(episodes: played + [standing], skill: 3))
        let without = try #require(HardnessScore(episodes: played, skill: 3))
        #expect(withBot.score == without.score)
        #expect(withBot.episodes == 2 && withBot.episodesLeftOut == 1 && withBot.skill == 3)
        #expect(HardnessScore(episodes: [standing, standing], skill: 2) == nil)
        #expect(HardnessScore.engaged(MetricsTests.episode(4, kills: 0, seconds: 300, coverage: 0.3)))
    }
}
