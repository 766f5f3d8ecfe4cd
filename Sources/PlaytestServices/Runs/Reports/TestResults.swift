import Foundation
import PlaytestCore

/// `GET /testing/{id}/results`, and what `playtest test --format json` prints: seed 001's shape (every finished
/// episode with its events, `aggregate_metrics`, `duration_seconds`), plus the run's status, agent and hardness.
public struct TestResults: Encodable, Sendable {
    public var testID: String
    public var status: RunStatus
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var agent: String
    public var checkpoint: String?
    public var totalEpisodes: Int
    public var episodesCompleted: Int
    /// Finished episodes in order (from 1), each with its events.
    public var episodes: [EpisodeMetrics]
    public var aggregateMetrics: AggregateMetrics
    /// nil while no episode has finished.
    public var hardness: HardnessScore?
    public var startedAt: Date?
    public var completedAt: Date?
    /// From the start to the end (to now while the run goes); nil before it started.
    public var durationSeconds: Double?
    public var error: String?
    /// Can the map be finished: the run's verdict with its proof or failure; nil for a VizDoom scenario (no exit).
    public var completion: RunCompletion?

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case status
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case agent, checkpoint
        case totalEpisodes = "total_episodes"
        case episodesCompleted = "episodes_completed"
        case episodes
        case aggregateMetrics = "aggregate_metrics"
        case hardness
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case durationSeconds = "duration_seconds"
        case error, completion
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testID, forKey: .testID)
        try c.encode(status, forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        try c.encode(agent, forKey: .agent)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(totalEpisodes, forKey: .totalEpisodes)
        try c.encode(episodesCompleted, forKey: .episodesCompleted)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(aggregateMetrics, forKey: .aggregateMetrics)
        try c.encode(hardness, forKey: .hardness)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encodeTimestamp(completedAt, forKey: .completedAt)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(error, forKey: .error)
        try c.encode(completion, forKey: .completion)
    }
}

/// `GET /testing/{id}/logs`: one episode's timeline (`EpisodeLog`) under its run's `test_id`, as seed 001 shows it.
public struct TestLog: Encodable, Sendable {
    public var testID: String
    public var log: EpisodeLog

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testID, forKey: .testID)
        try log.encode(to: encoder)
    }
}
