import Foundation
import PlaytestCore

/// `GET /testing/{id}/results`, and what `playtest test --format json` prints.
public struct TestResults: Codable, Sendable {
    public var testID: String
    public var status: String
    public var mapID: UUID
    public var mapName: String
    public var agent: String
    public var checkpoint: String?
    public var totalEpisodes: Int
    public var episodesCompleted: Int
    /// Finished episodes in order, each with its events.
    public var episodes: [EpisodeMetrics]
    public var aggregateMetrics: AggregateMetrics
    /// nil while no episode has finished.
    public var hardness: HardnessScore?
    public var startedAt: Date?
    public var completedAt: Date?
    public var error: String?

    public init(testID: String, status: String, mapID: UUID, mapName: String, agent: String, checkpoint: String?,
                totalEpisodes: Int, episodesCompleted: Int, episodes: [EpisodeMetrics], aggregateMetrics: AggregateMetrics,
                hardness: HardnessScore?, startedAt: Date?, completedAt: Date?, error: String?) {
        self.testID = testID
        self.status = status
        self.mapID = mapID
        self.mapName = mapName
        self.agent = agent
        self.checkpoint = checkpoint
        self.totalEpisodes = totalEpisodes
        self.episodesCompleted = episodesCompleted
        self.episodes = episodes
        self.aggregateMetrics = aggregateMetrics
        self.hardness = hardness
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case status
        case mapID = "map_id"
        case mapName = "map_name"
        case agent, checkpoint
        case totalEpisodes = "total_episodes"
        case episodesCompleted = "episodes_completed"
        case episodes
        case aggregateMetrics = "aggregate_metrics"
        case hardness
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testID, forKey: .testID)
        try c.encode(status, forKey: .status)
        try c.encode(mapID.uuidString.lowercased(), forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(agent, forKey: .agent)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(totalEpisodes, forKey: .totalEpisodes)
        try c.encode(episodesCompleted, forKey: .episodesCompleted)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(aggregateMetrics, forKey: .aggregateMetrics)
        try c.encode(hardness, forKey: .hardness)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encodeTimestamp(completedAt, forKey: .completedAt)
        try c.encode(error, forKey: .error)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        testID = try c.decode(String.self, forKey: .testID)
        status = try c.decode(String.self, forKey: .status)
        mapID = try c.decode(UUID.self, forKey: .mapID)
        mapName = try c.decode(String.self, forKey: .mapName)
        agent = try c.decode(String.self, forKey: .agent)
        checkpoint = try c.decodeIfPresent(String.self, forKey: .checkpoint)
        totalEpisodes = try c.decode(Int.self, forKey: .totalEpisodes)
        episodesCompleted = try c.decode(Int.self, forKey: .episodesCompleted)
        episodes = try c.decode([EpisodeMetrics].self, forKey: .episodes)
        aggregateMetrics = try c.decode(AggregateMetrics.self, forKey: .aggregateMetrics)
        hardness = try c.decodeIfPresent(HardnessScore.self, forKey: .hardness)
        startedAt = try c.decodeTimestamp(forKey: .startedAt)
        completedAt = try c.decodeTimestamp(forKey: .completedAt)
        error = try c.decodeIfPresent(String.self, forKey: .error)
    }
}
