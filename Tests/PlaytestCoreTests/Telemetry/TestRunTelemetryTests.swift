import PlaytestTestSupport
import Testing
@testable import PlaytestCore

@Suite("TestRunTelemetry")
struct TestRunTelemetryTests {
    typealias F = TelemetryFixtures

    func messages(episode: Int, seed: UInt64, withEnd: Bool = true) -> [AgentMessage] {
        let samples = F.randomEpisode(seed: seed, steps: 120).map { sample in
            var sample = sample
            sample.episode = episode
            return sample
        }
        var end = F.end(after: samples)
        end.episode = episode
        return [.episodeStart(EpisodeStartMessage(episode: episode, map: "MAP01"))] + samples.map { .step($0) }
            + (withEnd ? [.episodeEnd(end)] : [])
    }

    @Test func aRunIsItsEpisodesDerivedOneByOne() {
        var run = TestRunTelemetry(map: F.threeRoomsMap)
        var events: [TelemetryEvent] = []
        var finished: [EpisodeMetrics] = []
        let all = [AgentMessage.hello(HelloMessage(version: "0", command: .evaluate, agent: .random, vizdoom: "1", torch: "1",
                                                   python: "3", pid: 1, capabilities: []))]
            + messages(episode: 0, seed: 1) + messages(episode: 1, seed: 2) + [.done(DoneMessage(reason: .completed, episodes: 2))]
        for message in all {
            let update = run.ingest(message)
            events += update.events
            if let metrics = update.finishedEpisode { finished.append(metrics) }
        }
        #expect(finished.map(\.episodeNum) == [0, 1])
        #expect(run.episodes == finished)
        #expect(run.current == nil)
        for (index, seed) in [(0, 1), (1, 2)] as [(Int, UInt64)] {
            let expected = messages(episode: index, seed: seed)
            let samples = expected.compactMap { message -> StepSample? in
                if case .step(let sample) = message { return sample }
                return nil
            }
            let end = expected.compactMap { message -> EpisodeEndMessage? in
                if case .episodeEnd(let end) = message { return end }
                return nil
            }.first
            let alone = EventDeriver.derive(samples: samples, end: end, map: F.threeRoomsMap)
            #expect(finished[index] == EpisodeMetrics(derivation: alone))
        }
        #expect(events.count == finished.reduce(0) { $0 + $1.events.count })
        #expect(run.aggregate == AggregateMetrics(episodes: finished))
        // The run's grid holds every position of both episodes: each sample and each episode_end.
        let positions = all.count { message in
            switch message {
            case .step, .episodeEnd: return true
            default: return false
            }
        }
        #expect(run.coverage.cellVisits.values.reduce(0, +) == positions)
        #expect(!run.coverage.visitedSectors.isEmpty)
    }

    @Test func aCrashMidEpisodeKeepsTheFinishedEpisodesAndClosesTheOpenOne() {
        var run = TestRunTelemetry()
        for message in messages(episode: 0, seed: 3) + messages(episode: 1, seed: 4, withEnd: false) {
            run.ingest(message)
        }
        #expect(run.episodes.count == 1)
        #expect(run.current?.episode == 1)
        let update = run.finish()
        #expect(update.finishedEpisode?.episodeNum == 1)
        #expect(update.finishedEpisode?.endReason == nil)
        #expect(run.episodes.count == 2)
        #expect(run.finish() == TelemetryUpdate())
    }

    @Test func stepsWithoutAnEpisodeStartOpenTheirEpisode() {
        var run = TestRunTelemetry()
        let resumed = Array(messages(episode: 5, seed: 5).dropFirst())
        for message in resumed { run.ingest(message) }
        #expect(run.episodes.map(\.episodeNum) == [5])
        // A new episode's step closes an episode left open.
        run.ingest(.step(StepSample(episode: 6, step: 1, tic: 4)))
        run.ingest(.step(StepSample(episode: 7, step: 1, tic: 4)))
        #expect(run.episodes.map(\.episodeNum) == [5, 6])
        #expect(run.current?.episode == 7)
    }

    @Test(.enabled(if: AgentTranscripts.isAvailable, "agent/tests/data is absent"))
    func theRealExplorerTranscript() throws {
        let name = "evaluate_explorer_map01.jsonl"
        guard AgentTranscripts.names().contains(name) else { return }
        var run = TestRunTelemetry()
        let decoder = AgentLineDecoder()
        for line in try AgentTranscripts.lines(name) { run.ingest(try decoder.decode(line)) }
        run.finish()
        let ends = try AgentTranscripts.lines(name).compactMap { line -> EpisodeEndMessage? in
            if case .episodeEnd(let end) = try decoder.decode(line) { return end }
            return nil
        }
        #expect(run.episodes.map(\.kills) == ends.map(\.killcount))
        #expect(run.aggregate.totalKills == ends.reduce(0) { $0 + $1.killcount })
        #expect(run.aggregate.episodes == ends.count)
    }
}
