/// How hard a map played, from 0 (a walk) to 100 (nobody survives), from a test run's aggregate metrics.
///
/// A weighted mean of five pressures, each from 0 to 1 (docs/telemetry.md has the formula):
/// deaths, damage per minute, failing to exit, time to exit, and kills needed. Every pressure grows with what makes
/// a map harder and the weights are positive, so the score rises with the death rate, health lost per minute, time
/// to exit and kills, and falls with the exit rate. On a map without an exit (e.g. a VizDoom arena) the two exit
/// pressures are left out and the other weights count in full.
public struct HardnessScore: Sendable, Hashable, Codable {
    /// One pressure of the score.
    public struct Component: Sendable, Hashable, Codable {
        public var name: String
        /// From 0 (no pressure) to 1.
        public var value: Double
        public var weight: Double

        public init(name: String, value: Double, weight: Double) {
            self.name = name
            self.value = value
            self.weight = weight
        }
    }

    public enum Band: String, Sendable, Hashable, Codable, CaseIterable {
        case easy, moderate, hard, brutal

        init(score: Double) {
            switch score {
            case ..<25: self = .easy
            case ..<50: self = .moderate
            case ..<75: self = .hard
            default: self = .brutal
            }
        }
    }

    /// The tuning constants; the defaults are documented in docs/telemetry.md.
    public struct Parameters: Sendable, Hashable, Codable {
        public var deathWeight = 35.0
        public var damageWeight = 25.0
        public var exitWeight = 20.0
        public var timeToExitWeight = 10.0
        public var killsWeight = 10.0
        /// Health lost per minute at which the damage pressure is one half.
        public var damageHalfPoint = 60.0
        /// Seconds to the exit at which the time pressure is one half.
        public var timeToExitHalfPoint = 120.0
        /// Kills per episode at which the kills pressure is one half.
        public var killsHalfPoint = 10.0

        public init() {}
    }

    /// From 0 to 100, rounded to one decimal.
    public var score: Double
    public var band: Band
    public var components: [Component]
    /// The skill the episodes were played at; nil when not known.
    public var skill: Int?
    /// The episodes the score stands on: those in which the agent engaged the map (``engaged(_:)``).
    public var episodes: Int?
    /// Finished episodes left out because the agent never engaged the map in them.
    public var episodesLeftOut: Int?

    enum CodingKeys: String, CodingKey {
        case score, band, components, skill, episodes
        case episodesLeftOut = "episodes_left_out"
    }

    /// The score of a run's episodes at one skill, from the episodes in which the agent engaged the map: a bot that
    /// never left its start says nothing about the map. nil when no episode engaged it.
    public init?(episodes: [EpisodeMetrics], skill: Int?, mapHasExit: Bool = true, parameters: Parameters = Parameters()) {
        let engaged = episodes.filter(Self.engaged)
        self.init(aggregate: AggregateMetrics(episodes: engaged), mapHasExit: mapHasExit, parameters: parameters)
        self.skill = skill
        self.episodes = engaged.count
        episodesLeftOut = episodes.count - engaged.count
    }

    /// The agent engaged the map: it reached the exit, fought (a kill), was hurt or killed, or walked at least 5% of
    /// the reachable sectors. An episode without any of these is a bot standing at its start.
    public static func engaged(_ episode: EpisodeMetrics) -> Bool {
        episode.exitReached || episode.kills > 0 || episode.deaths > 0 || episode.healthLost > 0 || (episode.coverage ?? 1) >= 0.05
    }

    /// The score of a run; nil when the run has no episode.
    public init?(aggregate: AggregateMetrics, mapHasExit: Bool = true, parameters p: Parameters = Parameters()) {
        guard aggregate.episodes > 0 else { return nil }
        var components = [
            Component(name: "death_rate", value: Self.unit(1 - aggregate.survivalRate), weight: p.deathWeight),
            Component(name: "health_lost_per_minute",
                      value: Self.saturating(aggregate.healthLostPerMinute, half: p.damageHalfPoint), weight: p.damageWeight),
        ]
        if mapHasExit {
            components.append(Component(name: "exit_failure", value: Self.unit(1 - aggregate.exitRate), weight: p.exitWeight))
            // No exit at all is the longest possible time to exit.
            let time = aggregate.meanTimeToExitSeconds.map { Self.saturating($0, half: p.timeToExitHalfPoint) } ?? 1
            components.append(Component(name: "time_to_exit", value: time, weight: p.timeToExitWeight))
        }
        components.append(Component(name: "kills_needed", value: Self.saturating(aggregate.meanKills, half: p.killsHalfPoint),
                                    weight: p.killsWeight))
        let totalWeight = components.reduce(0) { $0 + max($1.weight, 0) }
        let weighted = components.reduce(0) { $0 + max($1.weight, 0) * $1.value }
        let raw = totalWeight > 0 ? 100 * weighted / totalWeight : 0
        self.score = (raw * 10).rounded() / 10
        self.band = Band(score: score)
        self.components = components
    }

    /// `value / (value + half)`: 0 at 0, one half at `half`, approaching 1; increasing in `value`.
    static func saturating(_ value: Double, half: Double) -> Double {
        guard value.isFinite, value > 0 else { return value == .infinity ? 1 : 0 }
        guard half > 0 else { return 1 }
        return value / (value + half)
    }

    static func unit(_ value: Double) -> Double {
        value.isFinite ? min(max(value, 0), 1) : 0
    }
}
