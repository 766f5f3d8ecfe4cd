import Foundation
import PlaytestCore

/// One figure and how many episodes it rests on; `too_few` when that is under `AnalysisFigures.minimumEpisodes`.
/// A figure without data is null, never zero.
public struct Figure: Codable, Sendable, Hashable {
    public var value: Double?
    public var episodes: Int
    public var tooFew: Bool

    enum CodingKeys: String, CodingKey {
        case value, episodes
        case tooFew = "too_few"
    }

    init(_ value: Double?, episodes: Int) {
        self.value = value.map { ($0 * 1000).rounded() / 1000 }
        self.episodes = episodes
        tooFew = episodes < AnalysisFigures.minimumEpisodes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(tooFew, forKey: .tooFew)
    }
}

/// What a set of episodes says about a map: the same axes for a map profile, a group of it, and a compared item.
public struct AnalysisFigures: Codable, Sendable, Hashable {
    /// Below this many episodes a figure is marked `too_few`.
    public static let minimumEpisodes = 5

    public var episodes: Int
    /// Share of episodes that reached an exit.
    public var completionRate: Figure
    /// Mean seconds to the exit, over the episodes that reached it.
    public var timeToExitSeconds: Figure
    /// Share of episodes the agent survived (god-mode episodes left out: nobody dies in them).
    public var survivalRate: Figure
    public var meanHealthLost: Figure
    public var meanKills: Figure
    /// Mean share of the reachable sectors visited.
    public var coverage: Figure
    /// The hardness score of the non-god-mode episodes; nil when there are none.
    public var hardness: HardnessScore?
    /// Whether the hardness rests on fewer than `minimumEpisodes` episodes (it says how many: `hardness.episodes`).
    public var hardnessTooFew: Bool

    enum CodingKeys: String, CodingKey {
        case episodes, hardness
        case hardnessTooFew = "hardness_too_few"
        case completionRate = "completion_rate"
        case timeToExitSeconds = "time_to_exit_seconds"
        case survivalRate = "survival_rate"
        case meanHealthLost = "mean_health_lost"
        case meanKills = "mean_kills"
        case coverage
    }

    /// `mortal`: the episodes played without god mode (deaths, health and hardness mean something only there).
    init(all: [EpisodeMetrics], mortal: [EpisodeMetrics], skill: Int?, mapHasExit: Bool) {
        episodes = all.count
        let exits = all.filter(\.exitReached)
        completionRate = Figure(all.isEmpty ? nil : Double(exits.count) / Double(all.count), episodes: all.count)
        timeToExitSeconds = Figure(exits.isEmpty ? nil : Self.mean(exits.map(\.durationSeconds)), episodes: exits.count)
        survivalRate = Figure(mortal.isEmpty ? nil : Double(mortal.count { $0.deaths == 0 }) / Double(mortal.count), episodes: mortal.count)
        meanHealthLost = Figure(mortal.isEmpty ? nil : Self.mean(mortal.map { Double($0.healthLost) }), episodes: mortal.count)
        meanKills = Figure(all.isEmpty ? nil : Self.mean(all.map { Double($0.kills) }), episodes: all.count)
        let coverages = all.compactMap(\.coverage)
        coverage = Figure(coverages.isEmpty ? nil : Self.mean(coverages), episodes: coverages.count)
        hardness = HardnessScore(episodes: mortal, skill: skill, mapHasExit: mapHasExit)
        hardnessTooFew = (hardness?.episodes ?? 0) < Self.minimumEpisodes
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
}
