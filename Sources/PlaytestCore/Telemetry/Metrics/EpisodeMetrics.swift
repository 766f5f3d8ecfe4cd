/// One episode's results, as `GET /testing/{id}/results` lists them (docs/telemetry.md defines each field).
public struct EpisodeMetrics: Sendable, Hashable, Codable {
    public var episodeNum: Int
    public var kills: Int
    /// 1 when the player died in this episode, else 0.
    public var deaths: Int
    /// Game time: the episode's last tic / 35.
    public var durationSeconds: Double
    /// Health points lost: the sum of the `health_lost` events' damage.
    public var healthLost: Int
    /// Ammo spent: the sum of the `ammo_lost` events' amounts.
    public var ammoUsed: Int
    /// Health at the end as the engine reports it: 0 or below when dead (−16 after a gib death).
    public var finalHealth: Int
    public var exitReached: Bool
    /// Reachable sectors visited / reachable sectors, 0 to 1; nil when the map's geometry was not available.
    public var coverage: Double?
    /// How the episode ended; nil when it has no `episode_end` (the agent stopped sending mid-episode).
    public var endReason: EpisodeEndReason?
    public var secretsFound: Int
    public var itemsCollected: Int
    public var events: [TelemetryEvent]
    /// Where the player was at the episode's last sample; nil when it has none.
    public var finalPosition: MapPoint?
    /// The navigator's goal when the episode ended (what it was doing where it stopped); nil for other agents.
    public var goal: NavigatorGoal?
    /// Lines the navigator pressed that moved nothing (the `unopened_line` finding judges them); nil for other agents.
    public var unansweredPresses: [UnansweredPress]?

    public init(episodeNum: Int, kills: Int, deaths: Int, durationSeconds: Double, healthLost: Int, ammoUsed: Int,
                finalHealth: Int, exitReached: Bool, coverage: Double? = nil, endReason: EpisodeEndReason? = nil,
                secretsFound: Int = 0, itemsCollected: Int = 0, events: [TelemetryEvent] = [], finalPosition: MapPoint? = nil,
                goal: NavigatorGoal? = nil, unansweredPresses: [UnansweredPress]? = nil) {
        self.episodeNum = episodeNum
        self.kills = kills
        self.deaths = deaths
        self.durationSeconds = durationSeconds
        self.healthLost = healthLost
        self.ammoUsed = ammoUsed
        self.finalHealth = finalHealth
        self.exitReached = exitReached
        self.coverage = coverage
        self.endReason = endReason
        self.secretsFound = secretsFound
        self.itemsCollected = itemsCollected
        self.events = events
        self.finalPosition = finalPosition
        self.goal = goal
        self.unansweredPresses = unansweredPresses
    }

    /// The metrics of a derived episode (call ``EventDeriver/finish(_:)`` first; an unfinished episode is measured
    /// as far as its samples go).
    public init(episodeNum: Int? = nil, derivation deriver: EventDeriver) {
        let last = deriver.lastSample
        let events = deriver.events
        self.init(
            episodeNum: episodeNum ?? deriver.episode ?? 0,
            kills: events.count { $0.type == .kill },
            deaths: deriver.died ? 1 : 0,
            durationSeconds: Double(last?.tic ?? 0) / AgentProtocol.ticsPerSecond,
            healthLost: deriver.healthLost,
            ammoUsed: deriver.ammoUsed,
            finalHealth: last?.health ?? 0,
            exitReached: events.contains { $0.type == .exitReached },
            coverage: deriver.coverage.coverage,
            endReason: deriver.end?.reason,
            secretsFound: last?.secretcount ?? 0,
            itemsCollected: last?.itemcount ?? 0,
            events: events,
            finalPosition: deriver.end.map { MapPoint(x: $0.x, y: $0.y) } ?? last?.position,
            goal: deriver.end?.goal ?? last?.goal,
            unansweredPresses: deriver.end?.unansweredPresses
        )
    }

    enum CodingKeys: String, CodingKey {
        case episodeNum = "episode_num"
        case kills, deaths
        case durationSeconds = "duration_seconds"
        case healthLost = "health_lost"
        case ammoUsed = "ammo_used"
        case finalHealth = "final_health"
        case exitReached = "exit_reached"
        case coverage
        case endReason = "end_reason"
        case secretsFound = "secrets_found"
        case itemsCollected = "items_collected"
        case events
        case finalPosition = "final_position"
        case goal
        case unansweredPresses = "unanswered_presses"
    }

    /// Writes `coverage`, `end_reason` and `final_position` as null rather than leaving them out, so every episode has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(episodeNum, forKey: .episodeNum)
        try container.encode(kills, forKey: .kills)
        try container.encode(deaths, forKey: .deaths)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(healthLost, forKey: .healthLost)
        try container.encode(ammoUsed, forKey: .ammoUsed)
        try container.encode(finalHealth, forKey: .finalHealth)
        try container.encode(exitReached, forKey: .exitReached)
        try container.encode(coverage, forKey: .coverage)
        try container.encode(endReason, forKey: .endReason)
        try container.encode(secretsFound, forKey: .secretsFound)
        try container.encode(itemsCollected, forKey: .itemsCollected)
        try container.encode(events, forKey: .events)
        try container.encode(finalPosition, forKey: .finalPosition)
        try container.encodeIfPresent(goal, forKey: .goal)
        try container.encodeIfPresent(unansweredPresses, forKey: .unansweredPresses)
    }
}
