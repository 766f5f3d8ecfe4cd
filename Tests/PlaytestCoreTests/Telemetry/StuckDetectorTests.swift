import Testing
@testable import PlaytestCore

@Suite("StuckDetector")
struct StuckDetectorTests {
    typealias F = TelemetryFixtures

    /// Positions every 10 tics from tic 0.
    func run(_ positions: [(Double, Double)], dead: Set<Int> = [], configuration: StuckDetector.Configuration = .init())
        -> [StuckSpot] {
        var detector = StuckDetector(configuration: configuration)
        var spots: [StuckSpot] = []
        for (index, position) in positions.enumerated() {
            if let spot = detector.observe(x: position.0, y: position.1, tic: index * 10, dead: dead.contains(index)) {
                spots.append(spot)
            }
        }
        if let spot = detector.finish() { spots.append(spot) }
        return spots
    }

    func still(at x: Double, _ y: Double, count: Int) -> [(Double, Double)] { Array(repeating: (x, y), count: count) }

    @Test func standingStillLongEnoughIsOneStuckSpot() {
        // 41 samples at the same place = 400 tics, then walking away.
        let spots = run(still(at: 100, 100, count: 41) + [(200, 100), (300, 100)])
        #expect(spots == [StuckSpot(x: 100, y: 100, startTic: 0, endTic: 400)])
        #expect(spots.first?.durationSeconds == 400.0 / 35)
    }

    @Test func aShortPauseIsNotStuck() {
        #expect(run(still(at: 100, 100, count: 30) + [(200, 100)]).isEmpty)
    }

    @Test func driftingInsideTheRadiusIsStillStuck() {
        var jitter: [(Double, Double)] = []
        for index in 0..<40 {
            let dx = Double(index % 3) * 5, dy = Double(index % 2) * 5
            jitter.append((100 + dx, 100 - dy))
        }
        #expect(run(jitter + [(400, 400)]).count == 1)
        // With a radius smaller than the jitter there is no spot.
        #expect(run(jitter + [(400, 400)], configuration: .init(radius: 2, minimumTics: 350)).isEmpty)
    }

    @Test func walkingSlowlyAwayIsNotStuck() {
        // 4 units per 10 tics: every position leaves the 16-unit circle of the previous anchor within 50 tics.
        let walk: [(Double, Double)] = (0..<100).map { index in (Double(index) * 4, 0) }
        #expect(run(walk).isEmpty)
    }

    @Test func aSpotThatLastsUntilTheEndIsReportedAtTheEnd() {
        #expect(run([(0, 0), (500, 0)] + still(at: 500, 0, count: 50)) == [StuckSpot(x: 500, y: 0, startTic: 10, endTic: 510)])
    }

    @Test func aDeadPlayerIsNotStuck() {
        // Dies at sample 10 and lies still: the still time before the death is too short, after it does not count.
        #expect(run(still(at: 0, 0, count: 80), dead: Set(10..<80)).isEmpty)
        // Stuck for 400 tics and then killed there: the spot ends at the death.
        #expect(run(still(at: 0, 0, count: 80), dead: Set(40..<80)) == [StuckSpot(x: 0, y: 0, startTic: 0, endTic: 400)])
    }

    @Test func theDeriverPutsTheStuckEventWhereTheSpotBegan() {
        var samples = [StepSample(step: 1, tic: 4, x: 0, y: 0)]
        for _ in 0..<10 { samples.append(F.next(after: samples[samples.count - 1], tics: 4) { $0.x += 40 }) }
        for _ in 0..<100 { samples.append(F.next(after: samples[samples.count - 1], tics: 4)) } // 400 tics still
        samples.append(F.next(after: samples[samples.count - 1]) { $0.killcount = 1 })
        samples.append(F.next(after: samples[samples.count - 1]) { $0.x += 100 })
        let deriver = EventDeriver.derive(samples: samples, end: nil)
        #expect(deriver.events.map(\.type) == [.stuck, .kill])
        let stuck = deriver.events[0]
        #expect(stuck.frame == 44)
        #expect(stuck.x == 400)
        #expect(stuck.detail == .stuck(durationTics: 404, radius: 16))
        #expect(deriver.stuckSpots.count == 1)
    }
}
