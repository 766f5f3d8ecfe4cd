import Testing
@testable import PlaytestCore

/// The worker ingests telemetry in batches; deriving in batches must give what deriving the whole episode gives,
/// and sampling every K steps must not lose counted events.
@Suite("EventDeriver incremental and sampled")
struct EventDeriverIncrementalTests {
    typealias F = TelemetryFixtures

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func batchesOfAnySizeGiveTheWholeEpisodesTimeline(seed: UInt64) {
        let samples = F.randomEpisode(seed: seed)
        let end = F.end(after: samples)
        let whole = EventDeriver.derive(samples: samples, end: end, map: F.threeRoomsMap)
        #expect(whole.events.count > 20)

        var random = AgentFuzzRandom(seed: seed &* 31)
        var incremental = EventDeriver(map: F.threeRoomsMap)
        var returned: [TelemetryEvent] = []
        var index = 0
        while index < samples.count {
            let size = Int.random(in: 1...40, using: &random)
            let batch = samples[index..<min(samples.count, index + size)]
            returned += incremental.ingest(contentsOf: batch)
            // A retried batch changes nothing.
            #expect(incremental.ingest(contentsOf: batch).isEmpty)
            index += size
        }
        returned += incremental.finish(end)

        #expect(incremental.events == whole.events)
        #expect(incremental.healthTimeline == whole.healthTimeline)
        #expect(incremental.stuckSpots == whole.stuckSpots)
        #expect(incremental.coverage.cellVisits == whole.coverage.cellVisits)
        #expect(EpisodeMetrics(derivation: incremental) == EpisodeMetrics(derivation: whole))
        // What ingest returned, in frame order, is the timeline.
        #expect(Self.stableSortedByFrame(returned) == whole.events)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func theTimelineIsInFrameOrderAndMatchesTheCounters(seed: UInt64) {
        let samples = F.randomEpisode(seed: seed)
        let deriver = EventDeriver.derive(samples: samples, end: F.end(after: samples))
        let frames = deriver.events.map(\.frame)
        #expect(frames == frames.sorted())
        let last = samples[samples.count - 1]
        #expect(deriver.events.count { $0.type == .kill } == last.killcount)
        #expect(deriver.events.count { $0.type == .secretFound } == last.secretcount)
        #expect(deriver.events.count { $0.type == .death } == (last.dead ? 1 : 0))
        for event in deriver.events {
            #expect(event.timestamp == Double(event.frame) / 35)
        }
    }

    @Test(arguments: [2, 3, 5, 10, 35])
    func samplingEveryKStepsKeepsEveryCountedEvent(every: Int) {
        for seed: UInt64 in 10..<14 {
            let full = F.randomEpisode(seed: seed)
            var sampled = full.enumerated().filter { ($0.offset + 1) % every == 0 }.map(\.element)
            if sampled.isEmpty { sampled = [full[full.count - 1]] }
            let end = F.end(after: full)
            let dense = EventDeriver.derive(samples: full, end: end)
            let sparse = EventDeriver.derive(samples: sampled, end: end)
            for type in [TelemetryEventType.kill, .secretFound, .death] {
                #expect(sparse.events.count { $0.type == type } == dense.events.count { $0.type == type },
                        "\(type) with telemetry every \(every) steps, seed \(seed)")
            }
            // Health lost is measured on net changes between samples, so sparse sampling can only see less of it.
            #expect(sparse.healthLost <= dense.healthLost)
            #expect(EpisodeMetrics(derivation: sparse).finalHealth == EpisodeMetrics(derivation: dense).finalHealth)
        }
    }

    static func stableSortedByFrame(_ events: [TelemetryEvent]) -> [TelemetryEvent] {
        events.enumerated().sorted { ($0.element.frame, $0.offset) < ($1.element.frame, $1.offset) }.map(\.element)
    }
}
