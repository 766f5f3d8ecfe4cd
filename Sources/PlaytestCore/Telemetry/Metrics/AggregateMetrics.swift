/// Metrics over all episodes of a test run: the seed's `aggregate_metrics` plus exit rate, coverage and the inputs
/// of the hardness score. Every definition, including the empty run, is in docs/telemetry.md.
public struct AggregateMetrics: Sendable, Hashable, Codable {
    public var episodes: Int
    public var totalKills: Int
    public var totalDeaths: Int
    public var minKills: Int
    public var maxKills: Int
    public var meanKills: Double
    public var medianKills: Double
    /// Population standard deviation of kills per episode.
    public var stdKills: Double
    public var minHealthLost: Int
    public var maxHealthLost: Int
    public var meanHealthLost: Double
    public var meanDurationSeconds: Double
    /// Episodes without a death / episodes.
    public var survivalRate: Double
    /// total_kills / total_deaths, or total_kills when nobody died.
    public var killDeathRatio: Double
    /// Episodes that reached an exit / episodes.
    public var exitRate: Double
    /// Mean of the episodes' coverage, over the episodes that have one; nil when none has.
    public var coverage: Double?
    /// Health lost over all episodes per minute of game time.
    public var healthLostPerMinute: Double
    public var meanAmmoUsed: Double
    /// Mean duration of the episodes that reached an exit; nil when none did.
    public var meanTimeToExitSeconds: Double?

    public init(episodes metrics: [EpisodeMetrics]) {
        let count = metrics.count
        let kills = metrics.map(\.kills)
        let healthLost = metrics.map(\.healthLost)
        let totalSeconds = metrics.reduce(0) { $0 + $1.durationSeconds }
        episodes = count
        totalKills = kills.reduce(0, +)
        totalDeaths = metrics.reduce(0) { $0 + $1.deaths }
        minKills = kills.min() ?? 0
        maxKills = kills.max() ?? 0
        meanKills = Self.mean(kills.map(Double.init))
        medianKills = Self.median(kills)
        stdKills = Self.populationStandardDeviation(kills.map(Double.init))
        minHealthLost = healthLost.min() ?? 0
        maxHealthLost = healthLost.max() ?? 0
        meanHealthLost = Self.mean(healthLost.map(Double.init))
        meanDurationSeconds = count == 0 ? 0 : totalSeconds / Double(count)
        survivalRate = count == 0 ? 0 : Double(metrics.count { $0.deaths == 0 }) / Double(count)
        killDeathRatio = Double(totalKills) / Double(max(totalDeaths, 1))
        let exits = metrics.filter(\.exitReached)
        exitRate = count == 0 ? 0 : Double(exits.count) / Double(count)
        let coverages = metrics.compactMap(\.coverage)
        coverage = coverages.isEmpty ? nil : Self.mean(coverages)
        healthLostPerMinute = totalSeconds > 0 ? Double(healthLost.reduce(0, +)) / (totalSeconds / 60) : 0
        meanAmmoUsed = Self.mean(metrics.map { Double($0.ammoUsed) })
        meanTimeToExitSeconds = exits.isEmpty ? nil : Self.mean(exits.map(\.durationSeconds))
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    static func median(_ values: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }

    static func populationStandardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let average = mean(values)
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count)
        return variance.squareRoot()
    }

    enum CodingKeys: String, CodingKey {
        case episodes
        case totalKills = "total_kills"
        case totalDeaths = "total_deaths"
        case minKills = "min_kills"
        case maxKills = "max_kills"
        case meanKills = "mean_kills"
        case medianKills = "median_kills"
        case stdKills = "std_kills"
        case minHealthLost = "min_health_lost"
        case maxHealthLost = "max_health_lost"
        case meanHealthLost = "mean_health_lost"
        case meanDurationSeconds = "mean_duration_seconds"
        case survivalRate = "survival_rate"
        case killDeathRatio = "kill_death_ratio"
        case exitRate = "exit_rate"
        case coverage
        case healthLostPerMinute = "health_lost_per_minute"
        case meanAmmoUsed = "mean_ammo_used"
        case meanTimeToExitSeconds = "mean_time_to_exit_seconds"
    }

    /// Writes the optional fields as null rather than leaving them out, so the shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(totalKills, forKey: .totalKills)
        try c.encode(totalDeaths, forKey: .totalDeaths)
        try c.encode(minKills, forKey: .minKills)
        try c.encode(maxKills, forKey: .maxKills)
        try c.encode(meanKills, forKey: .meanKills)
        try c.encode(medianKills, forKey: .medianKills)
        try c.encode(stdKills, forKey: .stdKills)
        try c.encode(minHealthLost, forKey: .minHealthLost)
        try c.encode(maxHealthLost, forKey: .maxHealthLost)
        try c.encode(meanHealthLost, forKey: .meanHealthLost)
        try c.encode(meanDurationSeconds, forKey: .meanDurationSeconds)
        try c.encode(survivalRate, forKey: .survivalRate)
        try c.encode(killDeathRatio, forKey: .killDeathRatio)
        try c.encode(exitRate, forKey: .exitRate)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(healthLostPerMinute, forKey: .healthLostPerMinute)
        try c.encode(meanAmmoUsed, forKey: .meanAmmoUsed)
        try c.encode(meanTimeToExitSeconds, forKey: .meanTimeToExitSeconds)
    }
}
