import Foundation
import PlaytestTestSupport
import Testing
@testable import PlaytestCore

/// Events and metrics derived from the agent runtime's real transcripts agree with the engine's own totals in each
/// `episode_end`, and real positions on the real map are never out of bounds.
@Suite("Telemetry from real transcripts", .enabled(if: AgentTranscripts.isAvailable, "agent/tests/data is absent (the agent runtime's sample transcripts)"))
struct TelemetryTranscriptTests {
    struct Episode {
        var samples: [StepSample] = []
        var end: EpisodeEndMessage?
    }

    static func episodes(in name: String) throws -> [Int: Episode] {
        let decoder = AgentLineDecoder()
        var episodes: [Int: Episode] = [:]
        for line in try AgentTranscripts.lines(name) {
            switch try decoder.decode(line) {
            case .step(let sample): episodes[sample.episode, default: Episode()].samples.append(sample)
            case .episodeEnd(let end): episodes[end.episode, default: Episode()].end = end
            default: break
            }
        }
        return episodes
    }

    /// VizDoom's own WADs from the repository's `.venv` (`PLAYTEST_VIZDOOM_DIR` overrides), nil when absent.
    static func vizdoomWAD(_ relativePath: String) -> WAD? {
        let directory = Repository.vizdoomDirectory
        guard let directory, let data = FileManager.default.contents(atPath: "\(directory)/\(relativePath)") else { return nil }
        return try? WAD(bytes: Array(data))
    }

    @Test(arguments: ["evaluate_explorer_map01.jsonl", "evaluate_random_defend_the_center.jsonl", "stopped_evaluate_sigterm.jsonl"])
    func derivedEventsAgreeWithTheEnginesTotals(name: String) throws {
        guard AgentTranscripts.names().contains(name) else { return }
        let episodes = try Self.episodes(in: name)
        #expect(!episodes.isEmpty)
        for (number, episode) in episodes {
            let end = try #require(episode.end, "\(name) episode \(number) has no episode_end")
            #expect(!episode.samples.isEmpty)
            let deriver = EventDeriver.derive(samples: episode.samples, end: end)
            let metrics = EpisodeMetrics(derivation: deriver)
            #expect(metrics.kills == end.killcount, "\(name) episode \(number)")
            #expect(metrics.deaths == (end.dead ? 1 : 0))
            #expect(metrics.durationSeconds == Double(end.tics) / 35)
            #expect(metrics.finalHealth == end.health, "the engine's figure, below zero after a gib")
            #expect(metrics.exitReached == (end.reason == .exit))
            #expect(deriver.events.count { $0.type == .secretFound } == end.secretcount)
            #expect(deriver.samplesIgnored == 0)
            let frames = deriver.events.map(\.frame)
            #expect(frames == frames.sorted())
            if end.dead {
                #expect(deriver.events.last?.type == .death)
                #expect(metrics.healthLost > 0)
            }
            // Ammo goes down when the agent fires: every evaluate transcript fires.
            if name.contains("defend_the_center") || name.contains("sigterm") {
                #expect(metrics.ammoUsed > 0)
            }
        }
    }

    @Test func theExplorerOnMAP01StaysInsideTheMapAndCoversPartOfIt() throws {
        let name = "evaluate_explorer_map01.jsonl"
        guard AgentTranscripts.names().contains(name), let wad = Self.vizdoomWAD("freedoom2.wad") else { return }
        let map = TelemetryMap(geometry: MapGeometry(try MapParser.parse(wad: wad, mapNamed: "MAP01")))
        for (_, episode) in try Self.episodes(in: name) {
            let deriver = EventDeriver.derive(samples: episode.samples, end: episode.end, map: map)
            #expect(deriver.outOfBounds.spans.isEmpty)
            let coverage = try #require(deriver.coverage.coverage)
            #expect(coverage > 0 && coverage < 1)
            #expect(deriver.coverage.visitedUnreachableSectors.isEmpty)
        }
    }

    @Test func aDeathInDefendTheCenterIsInTheTimelineWithTheDamageBeforeIt() throws {
        let name = "evaluate_random_defend_the_center.jsonl"
        guard AgentTranscripts.names().contains(name) else { return }
        let episode = try #require(try Self.episodes(in: name)[0])
        let deriver = EventDeriver.derive(samples: episode.samples, end: episode.end)
        let lost = deriver.events.compactMap { event -> Int? in
            if case .healthLost(_, _, let damage) = event.detail { return damage }
            return nil
        }
        let end = try #require(episode.end)
        #expect(end.health < 0, "this episode ends in a gib")
        #expect(lost.reduce(0, +) == 100 - end.health) // from full health to the engine's final figure
        #expect(deriver.healthTimeline.last?.health == end.health)
        if let wad = Self.vizdoomWAD("scenarios/defend_the_center.wad"),
           let parsed = try? MapParser.parse(wad: wad, mapNamed: "MAP01") {
            let map = TelemetryMap(geometry: MapGeometry(parsed))
            let located = EventDeriver.derive(samples: episode.samples, end: episode.end, map: map)
            #expect(located.outOfBounds.spans.isEmpty)
            #expect(located.coverage.coverage == 1) // one round room
        }
    }
}
