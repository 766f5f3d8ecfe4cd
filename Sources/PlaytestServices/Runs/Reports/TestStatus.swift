import Foundation
import PlaytestCore

/// `GET /testing/{id}/status`: where a test run is now (seed 001's shape, plus `steps` and `error`).
public struct TestStatus: Encodable, Sendable {
    public struct Progress: Encodable, Sendable, Hashable {
        /// The episode being played (from 1); the number finished when none is being played.
        public var currentEpisode: Int
        public var totalEpisodes: Int
        /// Finished episodes / total, 0 to 100.
        public var progressPercent: Double
        public var elapsedSeconds: Double
        /// nil until an episode has finished, and once the run is over.
        public var estimatedRemainingSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case currentEpisode = "current_episode"
            case totalEpisodes = "total_episodes"
            case progressPercent = "progress_percent"
            case elapsedSeconds = "elapsed_seconds"
            case estimatedRemainingSeconds = "estimated_remaining_seconds"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(currentEpisode, forKey: .currentEpisode)
            try c.encode(totalEpisodes, forKey: .totalEpisodes)
            try c.encode(progressPercent, forKey: .progressPercent)
            try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
            try c.encode(estimatedRemainingSeconds, forKey: .estimatedRemainingSeconds)
        }
    }

    /// The newest finished episode. Its JSON is also what `LiveRunSnapshot.latestEpisode` holds.
    public struct LatestEpisode: Codable, Sendable, Hashable {
        /// From 1.
        public var episodeNum: Int
        public var kills: Int
        /// Health at its end, as the engine reports it.
        public var healthRemaining: Int
        public var durationSeconds: Double
        /// When it finished.
        public var timestamp: Date

        public init(episodeNum: Int, kills: Int, healthRemaining: Int, durationSeconds: Double, timestamp: Date) {
            self.episodeNum = episodeNum
            self.kills = kills
            self.healthRemaining = healthRemaining
            self.durationSeconds = durationSeconds
            self.timestamp = timestamp
        }

        init(_ metrics: EpisodeMetrics, finishedAt: Date) {
            self.init(episodeNum: metrics.episodeNum, kills: metrics.kills, healthRemaining: metrics.finalHealth,
                      durationSeconds: metrics.durationSeconds, timestamp: finishedAt)
        }

        enum CodingKeys: String, CodingKey {
            case episodeNum = "episode_num"
            case kills
            case healthRemaining = "health_remaining"
            case durationSeconds = "duration_seconds"
            case timestamp
        }
    }

    public var testID: String
    public var status: RunStatus
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var checkpoint: String?
    public var progress: Progress
    public var latestEpisode: LatestEpisode?
    public var startedAt: Date?
    public var error: String?
    /// Agent steps so far (over all episodes).
    public var steps: Int

    init(_ facts: RunStatusFacts, now: Date) {
        let figures = facts.progress(now: now)
        testID = facts.id
        status = facts.status
        mapID = facts.mapID
        mapName = facts.mapName
        map = facts.map
        checkpoint = facts.checkpoint
        progress = Progress(
            currentEpisode: facts.current, totalEpisodes: facts.total, progressPercent: figures.percent,
            elapsedSeconds: figures.elapsed, estimatedRemainingSeconds: figures.remaining)
        latestEpisode = facts.latestEpisode
        startedAt = facts.startedAt
        error = facts.error
        steps = facts.steps
    }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case status, progress, checkpoint
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case latestEpisode = "latest_episode"
        case startedAt = "started_at"
        case error, steps
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testID, forKey: .testID)
        try c.encode(status, forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(progress, forKey: .progress)
        try c.encode(latestEpisode, forKey: .latestEpisode)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encode(error, forKey: .error)
        try c.encode(steps, forKey: .steps)
    }
}
