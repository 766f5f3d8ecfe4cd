import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Player-progress analytics for designers (docs/player-progress.md, "Analytics"): the seed's engagement query per
/// content id, an experience's completion funnel, playtime distribution and most-visited waypoints, and humans set
/// against the agents recorded as players. Aggregates only: no player is named, so a viewer may read them.
///
/// Every answer includes every event acknowledged before the request: the roll-ups' queue is folded first (a serving
/// process also folds it every second). Concurrent requests for the same answer share computations
/// (``FreshCoalescer``): a dashboard opened by many people costs a couple of queries, not one each.
public struct PlayerAnalytics: Sendable {
    let store: PlayerAnalyticsStore
    let progress: PlayerProgressStore
    private let experiences = FreshCoalescer<ExperienceAnalyticsView>()
    private let engagements = FreshCoalescer<ContentEngagementView>()
    private let comparisons = FreshCoalescer<HumansVersusAgentsView>()

    /// Events folded per transaction.
    static let foldBatch = 1000

    public init(engines: PlaytestEngines) {
        self.store = PlayerAnalyticsStore(sql: engines.sql)
        self.progress = PlayerProgressStore(sql: engines.sql)
    }

    /// Recomputes the roll-ups from the event log (`playtest progress rollups`, after a bulk load).
    public func rebuildRollups() async throws {
        try await progress.rebuildRollups()
    }

    /// Folds the queued events into the roll-ups, a batch per transaction, until a batch comes back short (the queue is
    /// empty) or after 100 batches (so a reader under a write storm is not kept folding forever); how many it folded.
    @discardableResult
    public func foldRollups() async throws -> Int {
        var folded = 0
        for _ in 0..<100 {
            let batch = try await progress.foldRollups(limit: Self.foldBatch)
            folded += batch
            guard batch == Self.foldBatch else { break }
        }
        return folded
    }

    /// Folds every `interval` until cancelled (`playtest serve`); a failed fold is tried again next time.
    public func foldContinuously(every interval: Duration = .seconds(1), logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await foldRollups()
            } catch {
                logger.warning("folding player-progress events into the analytics failed; trying again", metadata: ["error": "\(Services.describe(error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    static func kind(_ kind: String) throws -> String {
        guard ["human", "agent"].contains(kind) else { throw PlayerProgressError.invalid("kind is human or agent, got \"\(kind.prefix(40))\"") }
        return kind
    }

    /// Visits, unique players and average time spent on one content id over the last `days` (to the hour).
    public func engagement(experienceID: String, contentID: String, eventType: String = "waypoint_visited", days: Int = 7,
                           kind: String = "human") async throws -> ContentEngagementView {
        guard (1...366).contains(days) else { throw PlayerProgressError.invalid("days must be in 1...366") }
        guard (1...255).contains(contentID.count) else { throw PlayerProgressError.invalid("content_id is 1 to 255 characters") }
        guard (1...50).contains(eventType.count) else { throw PlayerProgressError.invalid("event_type is 1 to 50 characters") }
        let experience = try PlayerProgress.checkExperience(experienceID)
        let kind = try Self.kind(kind)
        let key = [experience, eventType, contentID, kind, String(days)].joined(separator: "\u{0}")
        return try await engagements.value(key) { [self] in
            try await foldRollups()
            let figures = try await store.engagement(experienceID: experience, eventType: eventType, contentID: contentID, kind: kind,
                                                     since: Date().addingTimeInterval(-Double(days) * 86_400))
            return ContentEngagementView(
                experienceID: experience, contentID: contentID, eventType: eventType, days: days, kind: kind, totalVisits: figures.visits,
                uniquePlayers: figures.uniquePlayers, averageTimeSpent: figures.visits == 0 ? nil : figures.timeSpent / Double(figures.visits))
        }
    }

    /// The experience's human players: completion, the funnel, playtime and the most-visited waypoints.
    public func experience(_ experienceID: String) async throws -> ExperienceAnalyticsView {
        let experience = try PlayerProgress.checkExperience(experienceID)
        return try await experiences.value(experience) { [self] in try await computeExperience(experience) }
    }

    private func computeExperience(_ experience: String) async throws -> ExperienceAnalyticsView {
        try await foldRollups()
        let figures = try await store.figures(experienceID: experience)
        let share = { (count: Int) in figures.players == 0 ? 0 : Double(count) / Double(figures.players) }
        let funnel = [("started", figures.players), ("25%", figures.past25), ("50%", figures.past50), ("75%", figures.past75),
                      ("completed", figures.completed)].map { FunnelStage(stage: $0.0, players: $0.1, share: share($0.1)) }
        var lower = 0
        var buckets: [PlaytimeBucket] = []
        for (index, players) in figures.playtime.enumerated() {
            let upper = index < PlayerAnalyticsStore.playtimeBuckets.count ? PlayerAnalyticsStore.playtimeBuckets[index] : nil
            buckets.append(PlaytimeBucket(fromSeconds: lower, toSeconds: upper, players: players))
            lower = upper ?? lower
        }
        let top = try await store.topContent(experienceID: experience, eventType: "waypoint_visited", kind: "human", limit: 20)
        return ExperienceAnalyticsView(
            experienceID: experience, players: figures.players, completed: figures.completed, completionRate: share(figures.completed),
            funnel: funnel, playtime: PlaytimeDistribution(buckets: buckets, medianSeconds: figures.medianPlaytime, p90Seconds: figures.p90Playtime),
            topWaypoints: top.map { WaypointFigure(contentID: $0.contentID, players: $0.players, visits: $0.visits,
                                                   averageTimeSpent: $0.visits == 0 ? nil : $0.timeSpent / Double($0.visits)) })
    }

    /// Humans against agents on one experience: how many finish, how fast, where the others stop, and how many of
    /// each group reached each waypoint.
    public func humansVersusAgents(_ experienceID: String) async throws -> HumansVersusAgentsView {
        let experience = try PlayerProgress.checkExperience(experienceID)
        return try await comparisons.value(experience) { [self] in try await compare(experience) }
    }

    private func compare(_ experience: String) async throws -> HumansVersusAgentsView {
        try await foldRollups()
        let figures = try await store.figures(experienceID: experience)
        let humanStops = try await store.humanStops(experienceID: experience, limit: 5)
        let agents = try await store.agentEpisodes(experienceID: experience, stopsLimit: 5)
        let humanReach = try await store.topContent(experienceID: experience, eventType: "waypoint_visited", kind: "human", limit: 200)
        let agentReach = try await store.topContent(experienceID: experience, eventType: "waypoint_visited", kind: "agent", limit: 200)
        var waypoints: [String: WaypointReach] = [:]
        for row in humanReach {
            waypoints[row.contentID, default: WaypointReach(contentID: row.contentID)].humans = row.players
        }
        for row in agentReach {
            waypoints[row.contentID, default: WaypointReach(contentID: row.contentID)].agentEpisodes = row.visits
        }
        let rate = { (part: Int, whole: Int) in whole == 0 ? nil : Double(part) / Double(whole) }
        let median = agents.exitSeconds.isEmpty ? nil : agents.exitSeconds[agents.exitSeconds.count / 2]
        return HumansVersusAgentsView(
            experienceID: experience,
            humans: GroupFigures(count: figures.players, finished: figures.completed, completionRate: rate(figures.completed, figures.players),
                                 medianSecondsToExit: figures.medianPlaytimeCompleted.map(Double.init), stops: humanStops.map { StopFigure(place: $0.place, count: $0.count) }),
            agents: GroupFigures(count: agents.episodes, finished: agents.exits, completionRate: rate(agents.exits, agents.episodes),
                                 medianSecondsToExit: median, stops: agents.stops.map { StopFigure(place: $0.place, count: $0.count) }),
            waypoints: waypoints.values.map { reach in
                var reach = reach
                reach.humansShare = rate(reach.humans, figures.players)
                reach.agentsShare = rate(reach.agentEpisodes, agents.episodes)
                return reach
            }.sorted { ($0.humans + $0.agentEpisodes, $1.contentID) > ($1.humans + $1.agentEpisodes, $0.contentID) })
    }
}

public struct ContentEngagementView: Sendable, Hashable, Codable {
    public var experienceID: String
    public var contentID: String
    public var eventType: String
    public var days: Int
    public var kind: String
    public var totalVisits: Int
    public var uniquePlayers: Int
    /// Seconds (`data.time_spent`) per visit; nil without visits.
    public var averageTimeSpent: Double?

    enum CodingKeys: String, CodingKey {
        case experienceID = "experience_id", contentID = "content_id", eventType = "event_type", days, kind
        case totalVisits = "total_visits", uniquePlayers = "unique_players", averageTimeSpent = "avg_time_spent"
    }
}

public struct ExperienceAnalyticsView: Sendable, Hashable, Codable {
    public var experienceID: String
    public var players: Int
    public var completed: Int
    public var completionRate: Double
    public var funnel: [FunnelStage]
    public var playtime: PlaytimeDistribution
    public var topWaypoints: [WaypointFigure]

    enum CodingKeys: String, CodingKey {
        case experienceID = "experience_id", players, completed, completionRate = "completion_rate", funnel, playtime
        case topWaypoints = "top_waypoints"
    }
}

public struct FunnelStage: Sendable, Hashable, Codable {
    public var stage: String
    public var players: Int
    /// Of the players who started.
    public var share: Double
}

public struct PlaytimeDistribution: Sendable, Hashable, Codable {
    public var buckets: [PlaytimeBucket]
    public var medianSeconds: Int?
    public var p90Seconds: Int?

    enum CodingKeys: String, CodingKey {
        case buckets, medianSeconds = "median_seconds", p90Seconds = "p90_seconds"
    }
}

public struct PlaytimeBucket: Sendable, Hashable, Codable {
    public var fromSeconds: Int
    /// nil: the open last bucket.
    public var toSeconds: Int?
    public var players: Int

    enum CodingKeys: String, CodingKey {
        case fromSeconds = "from_seconds", toSeconds = "to_seconds", players
    }
}

public struct WaypointFigure: Sendable, Hashable, Codable {
    public var contentID: String
    public var players: Int
    public var visits: Int
    public var averageTimeSpent: Double?

    enum CodingKeys: String, CodingKey {
        case contentID = "content_id", players, visits, averageTimeSpent = "avg_time_spent"
    }
}

public struct HumansVersusAgentsView: Sendable, Hashable, Codable {
    public var experienceID: String
    public var humans: GroupFigures
    public var agents: GroupFigures
    /// How many humans (players) and agent episodes reached each waypoint, most reached first.
    public var waypoints: [WaypointReach]

    enum CodingKeys: String, CodingKey {
        case experienceID = "experience_id", humans, agents, waypoints
    }
}

/// One group's figures: for humans `count` is players, for agents episodes (each test-run episode is an attempt).
public struct GroupFigures: Sendable, Hashable, Codable {
    public var count: Int
    public var finished: Int
    public var completionRate: Double?
    public var medianSecondsToExit: Double?
    public var stops: [StopFigure]

    enum CodingKeys: String, CodingKey {
        case count, finished, completionRate = "completion_rate", medianSecondsToExit = "median_seconds_to_exit", stops
    }
}

public struct StopFigure: Sendable, Hashable, Codable {
    public var place: String
    public var count: Int
}

public struct WaypointReach: Sendable, Hashable, Codable {
    public var contentID: String
    public var humans = 0
    public var humansShare: Double?
    public var agentEpisodes = 0
    public var agentsShare: Double?

    init(contentID: String) {
        self.contentID = contentID
    }

    enum CodingKeys: String, CodingKey {
        case contentID = "content_id", humans, humansShare = "humans_share", agentEpisodes = "agent_episodes", agentsShare = "agents_share"
    }
}
