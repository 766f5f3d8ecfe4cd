import Foundation
import Testing
@testable import PlaytestCore

@Suite("Episode and aggregate metrics")
struct MetricsTests {
    typealias F = TelemetryFixtures

    static func episode(_ number: Int, kills: Int, died: Bool = false, healthLost: Int = 0, seconds: Double = 60,
                        exit: Bool = false, coverage: Double? = nil, ammo: Int = 0) -> EpisodeMetrics {
        EpisodeMetrics(episodeNum: number, kills: kills, deaths: died ? 1 : 0, durationSeconds: seconds, healthLost: healthLost,
                       ammoUsed: ammo, finalHealth: died ? 0 : 100 - healthLost, exitReached: exit, coverage: coverage)
    }

    @Test func episodeMetricsComeFromTheDerivedEvents() {
        let start = StepSample(step: 1, tic: 4, x: 128, y: 128, health: 100, ammo: 50)
        let fight = F.next(after: start, tics: 100) {
            $0.killcount = 2
            $0.health = 70
            $0.ammo = 40
        }
        let heal = F.next(after: fight) { $0.health = 95 }
        let end = EpisodeEndMessage(episode: 3, reason: .exit, tics: 350, steps: 80, killcount: 3, secretcount: 1, health: 90,
                                    x: 130, y: 128)
        var deriver = EventDeriver(episode: 3, map: F.threeRoomsMap)
        deriver.ingest(contentsOf: [start, fight, heal].map { sample in
            var sample = sample
            sample.episode = 3
            return sample
        })
        deriver.finish(end)
        let metrics = EpisodeMetrics(derivation: deriver)
        #expect(metrics.episodeNum == 3)
        #expect(metrics.kills == 3)
        #expect(metrics.deaths == 0)
        #expect(metrics.durationSeconds == 10)
        #expect(metrics.healthLost == 35) // 100 → 70, then 95 → 90
        #expect(metrics.ammoUsed == 10)
        #expect(metrics.finalHealth == 90)
        #expect(metrics.exitReached)
        #expect(metrics.coverage == 0.5)
        #expect(metrics.endReason == .exit)
        #expect(metrics.secretsFound == 1)
        #expect(metrics.events == deriver.events)
        #expect(!metrics.events.contains { $0.type == .outOfBounds })

        let log = EpisodeLog(derivation: deriver)
        #expect(log.frames == 350)
        #expect(log.durationSeconds == 10)
        #expect(log.healthTimeline.map(\.health) == [100, 70, 95, 90])
        let frames: [Int] = [4, 104, 108, 350]
        let timestamps: [Double] = frames.map { Double($0) / 35 }
        #expect(log.healthTimeline.map(\.frame) == frames)
        #expect(log.healthTimeline.map(\.timestamp) == timestamps)
    }

    /// Seed 001: `final_health` is what the engine reports, −16 after a gib, and `health_lost` counts down to it.
    @Test func aDeadPlayersFinalHealthIsTheEngines() {
        let start = StepSample(step: 1, tic: 4, health: 20)
        let end = EpisodeEndMessage(reason: .death, tics: 40, health: -30, dead: true)
        let metrics = EpisodeMetrics(derivation: EventDeriver.derive(samples: [start], end: end))
        #expect(metrics.finalHealth == -30)
        #expect(metrics.deaths == 1)
        #expect(metrics.healthLost == 50)
        #expect(!metrics.exitReached)
    }

    @Test func episodeJSONHasTheSeedsKeys() throws {
        let object = try JSONRoundTrip.object(Self.episode(1, kills: 2))
        let seedKeys: Set = ["episode_num", "kills", "deaths", "duration_seconds", "health_lost", "ammo_used", "final_health", "events"]
        #expect(seedKeys.isSubset(of: Set(object.keys)))
        #expect(Set(object.keys).isSuperset(of: ["exit_reached", "coverage"]))
        #expect(object["coverage"] is NSNull)
        #expect(try JSONRoundTrip.decode(EpisodeMetrics.self, from: Self.episode(1, kills: 2, coverage: 0.25)) ==
            Self.episode(1, kills: 2, coverage: 0.25))
    }

    @Test func aggregateMetricsFollowTheirDefinitions() {
        let episodes = [
            Self.episode(0, kills: 0, died: true, healthLost: 100, seconds: 30, coverage: 0.5),
            Self.episode(1, kills: 2, healthLost: 10, seconds: 90, exit: true, coverage: 1.0, ammo: 20),
            Self.episode(2, kills: 4, died: true, healthLost: 100, seconds: 60, ammo: 40),
            Self.episode(3, kills: 6, healthLost: 30, seconds: 60, exit: true, coverage: 0.75),
        ]
        let a = AggregateMetrics(episodes: episodes)
        #expect(a.episodes == 4)
        #expect(a.totalKills == 12)
        #expect(a.totalDeaths == 2)
        #expect(a.minKills == 0)
        #expect(a.maxKills == 6)
        #expect(a.meanKills == 3)
        #expect(a.medianKills == 3) // (2 + 4) / 2
        #expect(abs(a.stdKills - 5.0.squareRoot()) < 1e-12) // population: sqrt((9 + 1 + 1 + 9) / 4)
        #expect(a.minHealthLost == 10)
        #expect(a.maxHealthLost == 100)
        #expect(a.meanHealthLost == 60)
        #expect(a.meanDurationSeconds == 60)
        #expect(a.survivalRate == 0.5)
        #expect(a.killDeathRatio == 6)
        #expect(a.exitRate == 0.5)
        #expect(a.coverage == 0.75) // mean of 0.5, 1.0, 0.75; the episode without coverage is left out
        #expect(a.healthLostPerMinute == 60) // 240 health over 4 minutes
        #expect(a.meanAmmoUsed == 15)
        #expect(a.meanTimeToExitSeconds == 75)
    }

    @Test func theMedianOfAnOddCountIsTheMiddleValue() {
        let a = AggregateMetrics(episodes: [Self.episode(0, kills: 9), Self.episode(1, kills: 1), Self.episode(2, kills: 3)])
        #expect(a.medianKills == 3)
        #expect(a.stdKills > 0)
    }

    @Test func nobodyDyingMakesTheKillDeathRatioTheKills() {
        let a = AggregateMetrics(episodes: [Self.episode(0, kills: 3), Self.episode(1, kills: 4)])
        #expect(a.totalDeaths == 0)
        #expect(a.killDeathRatio == 7)
        #expect(a.survivalRate == 1)
    }

    @Test func noEpisodesGiveZerosAndNullCoverage() throws {
        let a = AggregateMetrics(episodes: [])
        #expect(a.episodes == 0)
        #expect(a.totalKills == 0)
        #expect(a.meanKills == 0)
        #expect(a.medianKills == 0)
        #expect(a.stdKills == 0)
        #expect(a.survivalRate == 0)
        #expect(a.killDeathRatio == 0)
        #expect(a.coverage == nil)
        #expect(a.meanTimeToExitSeconds == nil)
        let object = try JSONRoundTrip.object(a)
        #expect(object["coverage"] is NSNull)
    }

    @Test func aggregateJSONHasExactlyTheSeedsKeysPlusOurs() throws {
        let object = try JSONRoundTrip.object(AggregateMetrics(episodes: [Self.episode(0, kills: 1)]))
        let seed: Set = ["total_kills", "total_deaths", "min_kills", "max_kills", "mean_kills", "median_kills", "std_kills",
                         "min_health_lost", "max_health_lost", "mean_health_lost", "mean_duration_seconds", "survival_rate",
                         "kill_death_ratio", "exit_rate", "coverage"]
        let ours: Set = ["episodes", "health_lost_per_minute", "mean_ammo_used", "mean_time_to_exit_seconds"]
        #expect(Set(object.keys) == seed.union(ours))
        let decoded = try JSONRoundTrip.decode(AggregateMetrics.self, from: AggregateMetrics(episodes: [Self.episode(0, kills: 1)]))
        #expect(decoded == AggregateMetrics(episodes: [Self.episode(0, kills: 1)]))
    }
}
