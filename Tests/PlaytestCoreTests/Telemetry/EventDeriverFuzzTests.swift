import Testing
@testable import PlaytestCore

/// Whatever an agent sends that the decoder lets through (any non-negative counts, any health, any finite position),
/// deriving never traps, never overflows, and never floods the timeline.
@Suite("EventDeriver fuzzing")
struct EventDeriverFuzzTests {
    static let extremes: [Int] = [0, 1, 2, 200, 10_000, 1 << 31, Int.max - 1, Int.max]

    func value(_ random: inout AgentFuzzRandom, negative: Bool = false) -> Int {
        let pick = Int.random(in: 0..<3, using: &random)
        if pick == 0 { return Self.extremes.randomElement(using: &random) ?? 0 }
        let magnitude = Int.random(in: 0...300, using: &random)
        return negative && Bool.random(using: &random) ? -magnitude : magnitude
    }

    @Test func extremeValuesNeverTrapAndStayBounded() {
        var random = AgentFuzzRandom(seed: 0xF022)
        let configuration = EventDeriver.Configuration(maximumEventsPerJump: 50)
        for _ in 0..<200 {
            var deriver = EventDeriver(map: TelemetryFixtures.threeRoomsMap, configuration: configuration)
            var tic = 0
            let count = Int.random(in: 1...30, using: &random)
            for step in 1...count {
                tic += Int.random(in: 0...200, using: &random)
                var sample = StepSample(step: step, tic: tic, x: Double.random(in: -1e6...1e6, using: &random),
                                        y: Double.random(in: -1e6...1e6, using: &random))
                sample.health = Bool.random(using: &random) ? Int.min + Int.random(in: 0...1, using: &random) : value(&random, negative: true)
                sample.armor = value(&random)
                sample.ammo = value(&random)
                sample.weapon = value(&random)
                sample.killcount = value(&random)
                sample.itemcount = value(&random)
                sample.secretcount = value(&random)
                sample.dead = Int.random(in: 0..<10, using: &random) == 0
                let produced = deriver.ingest(sample)
                // At most 3 counters × 50, plus the handful of other events of one interval.
                #expect(produced.count <= 3 * 50 + 12)
            }
            let end = EpisodeEndMessage(reason: EpisodeEndReason.allCases.randomElement(using: &random) ?? .timeout,
                                        tics: tic + 1, killcount: value(&random), itemcount: value(&random),
                                        secretcount: value(&random), health: value(&random, negative: true))
            deriver.finish(end)
            let metrics = EpisodeMetrics(derivation: deriver)
            #expect(metrics.healthLost >= 0)
            #expect(metrics.ammoUsed >= 0)
            #expect(metrics.deaths <= 1)
            let frames = deriver.events.map(\.frame)
            #expect(frames == frames.sorted())
        }
    }

    @Test func aHugeCounterJumpGivesTheLastEventsOnly() {
        let start = StepSample(step: 1, tic: 4)
        var jump = start
        jump.step = 2
        jump.killcount = Int.max
        let deriver = EventDeriver.derive(samples: [start, jump], end: nil,
                                          configuration: .init(maximumEventsPerJump: 3))
        let kills = (Int.max - 2...Int.max).map { TelemetryEventDetail.kill(killcount: $0, health: jump.health, ammo: jump.ammo) }
        #expect(deriver.events.map(\.detail) == kills)
    }

    @Test func implausibleHandBuiltSamplesAreSkipped() {
        var deriver = EventDeriver()
        #expect(deriver.ingest(StepSample(step: 1, tic: -1)).isEmpty)
        #expect(deriver.ingest(StepSample(step: 1, tic: 4, ammo: -5)).isEmpty)
        #expect(deriver.samplesIgnored == 2)
        #expect(deriver.samplesAccepted == 0)
    }
}
