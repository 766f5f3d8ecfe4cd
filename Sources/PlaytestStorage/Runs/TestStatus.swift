import Foundation

/// `GET /testing/{id}/status`: where a test run is now (live hash first, SQL otherwise).
public struct TestStatus: Codable, Sendable {
    public struct Progress: Codable, Sendable, Hashable {
        /// The episode being played (0-based); equals the finished count between episodes.
        public var currentEpisode: Int
        public var totalEpisodes: Int
        /// Finished episodes / total, 0 to 100.
        public var progressPercent: Double
        public var elapsedSeconds: Double
        /// nil until an episode has finished, and once the run is over.
        public var estimatedRemainingSeconds: Double?

        public init(currentEpisode: Int, totalEpisodes: Int, progressPercent: Double, elapsedSeconds: Double,
                    estimatedRemainingSeconds: Double?) {
            self.currentEpisode = currentEpisode
            self.totalEpisodes = totalEpisodes
            self.progressPercent = progressPercent
            self.elapsedSeconds = elapsedSeconds
            self.estimatedRemainingSeconds = estimatedRemainingSeconds
        }

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
        public var episodeNum: Int
        public var kills: Int
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

        enum CodingKeys: String, CodingKey {
            case episodeNum = "episode_num"
            case kills
            case healthRemaining = "health_remaining"
            case durationSeconds = "duration_seconds"
            case timestamp
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(episodeNum, forKey: .episodeNum)
            try c.encode(kills, forKey: .kills)
            try c.encode(healthRemaining, forKey: .healthRemaining)
            try c.encode(durationSeconds, forKey: .durationSeconds)
            try c.encodeTimestamp(timestamp, forKey: .timestamp)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            episodeNum = try c.decode(Int.self, forKey: .episodeNum)
            kills = try c.decode(Int.self, forKey: .kills)
            healthRemaining = try c.decode(Int.self, forKey: .healthRemaining)
            durationSeconds = try c.decode(Double.self, forKey: .durationSeconds)
            timestamp = try c.decodeRequiredTimestamp(forKey: .timestamp)
        }

        /// The JSON for `LiveRunSnapshot.latestEpisode`.
        public func json() throws -> String { try RunJSON.encode(self) }

        public init(json: String) throws {
            self = try RunJSON.decode(LatestEpisode.self, from: json, table: "the live hash")
        }
    }

    public var testID: String
    public var status: String
    public var progress: Progress
    public var latestEpisode: LatestEpisode?
    public var startedAt: Date?
    public var error: String?
    /// Agent steps so far (over all episodes).
    public var steps: Int

    public init(testID: String, status: String, progress: Progress, latestEpisode: LatestEpisode?, startedAt: Date?,
                error: String?, steps: Int) {
        self.testID = testID
        self.status = status
        self.progress = progress
        self.latestEpisode = latestEpisode
        self.startedAt = startedAt
        self.error = error
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case status, progress
        case latestEpisode = "latest_episode"
        case startedAt = "started_at"
        case error, steps
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(testID, forKey: .testID)
        try c.encode(status, forKey: .status)
        try c.encode(progress, forKey: .progress)
        try c.encode(latestEpisode, forKey: .latestEpisode)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encode(error, forKey: .error)
        try c.encode(steps, forKey: .steps)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        testID = try c.decode(String.self, forKey: .testID)
        status = try c.decode(String.self, forKey: .status)
        progress = try c.decode(Progress.self, forKey: .progress)
        latestEpisode = try c.decodeIfPresent(LatestEpisode.self, forKey: .latestEpisode)
        startedAt = try c.decodeTimestamp(forKey: .startedAt)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        steps = try c.decode(Int.self, forKey: .steps)
    }
}
