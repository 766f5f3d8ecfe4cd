import Foundation

/// `GET /training/{id}/status`: where a training run is now (live hash first, SQL otherwise).
public struct TrainingStatus: Codable, Sendable {
    public struct Progress: Codable, Sendable, Hashable {
        public var currentIteration: Int
        public var maxIterations: Int
        public var progressPercent: Double
        public var elapsedSeconds: Double
        /// nil before the first report and once the run is over.
        public var estimatedRemainingSeconds: Double?

        public init(currentIteration: Int, maxIterations: Int, progressPercent: Double, elapsedSeconds: Double,
                    estimatedRemainingSeconds: Double?) {
            self.currentIteration = currentIteration
            self.maxIterations = maxIterations
            self.progressPercent = progressPercent
            self.elapsedSeconds = elapsedSeconds
            self.estimatedRemainingSeconds = estimatedRemainingSeconds
        }

        enum CodingKeys: String, CodingKey {
            case currentIteration = "current_iteration"
            case maxIterations = "max_iterations"
            case progressPercent = "progress_percent"
            case elapsedSeconds = "elapsed_seconds"
            case estimatedRemainingSeconds = "estimated_remaining_seconds"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(currentIteration, forKey: .currentIteration)
            try c.encode(maxIterations, forKey: .maxIterations)
            try c.encode(progressPercent, forKey: .progressPercent)
            try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
            try c.encode(estimatedRemainingSeconds, forKey: .estimatedRemainingSeconds)
        }
    }

    /// The newest learning figures. Its JSON is also what `LiveRunSnapshot.latestMetrics` holds.
    public struct LatestMetrics: Codable, Sendable, Hashable {
        public var iteration: Int
        public var dqnLoss: Double?
        public var epsilon: Double
        public var meanReward: Double?
        public var stepsPerSecond: Double
        public var timestamp: Date

        public init(iteration: Int, dqnLoss: Double?, epsilon: Double, meanReward: Double?, stepsPerSecond: Double, timestamp: Date) {
            self.iteration = iteration
            self.dqnLoss = dqnLoss
            self.epsilon = epsilon
            self.meanReward = meanReward
            self.stepsPerSecond = stepsPerSecond
            self.timestamp = timestamp
        }

        public init(_ row: TrainingMetricRow) {
            self.init(iteration: row.iteration, dqnLoss: row.loss, epsilon: row.epsilon, meanReward: row.meanEpisodeReward,
                      stepsPerSecond: row.stepsPerSecond, timestamp: row.recordedAt)
        }

        enum CodingKeys: String, CodingKey {
            case iteration
            case dqnLoss = "dqn_loss"
            case epsilon
            case meanReward = "mean_reward"
            case stepsPerSecond = "steps_per_s"
            case timestamp
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(iteration, forKey: .iteration)
            try c.encode(dqnLoss, forKey: .dqnLoss)
            try c.encode(epsilon, forKey: .epsilon)
            try c.encode(meanReward, forKey: .meanReward)
            try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
            try c.encodeTimestamp(timestamp, forKey: .timestamp)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            iteration = try c.decode(Int.self, forKey: .iteration)
            dqnLoss = try c.decodeIfPresent(Double.self, forKey: .dqnLoss)
            epsilon = try c.decode(Double.self, forKey: .epsilon)
            meanReward = try c.decodeIfPresent(Double.self, forKey: .meanReward)
            stepsPerSecond = try c.decode(Double.self, forKey: .stepsPerSecond)
            timestamp = try c.decodeRequiredTimestamp(forKey: .timestamp)
        }

        /// The JSON for `LiveRunSnapshot.latestMetrics`.
        public func json() throws -> String { try RunJSON.encode(self) }

        public init(json: String) throws {
            self = try RunJSON.decode(LatestMetrics.self, from: json, table: "the live hash")
        }
    }

    public var trainingID: String
    public var status: String
    public var progress: Progress
    public var latestMetrics: LatestMetrics?
    public var startedAt: Date?
    public var error: String?

    public init(trainingID: String, status: String, progress: Progress, latestMetrics: LatestMetrics?, startedAt: Date?, error: String?) {
        self.trainingID = trainingID
        self.status = status
        self.progress = progress
        self.latestMetrics = latestMetrics
        self.startedAt = startedAt
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case trainingID = "training_id"
        case status, progress
        case latestMetrics = "latest_metrics"
        case startedAt = "started_at"
        case error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(status, forKey: .status)
        try c.encode(progress, forKey: .progress)
        try c.encode(latestMetrics, forKey: .latestMetrics)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encode(error, forKey: .error)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trainingID = try c.decode(String.self, forKey: .trainingID)
        status = try c.decode(String.self, forKey: .status)
        progress = try c.decode(Progress.self, forKey: .progress)
        latestMetrics = try c.decodeIfPresent(LatestMetrics.self, forKey: .latestMetrics)
        startedAt = try c.decodeTimestamp(forKey: .startedAt)
        error = try c.decodeIfPresent(String.self, forKey: .error)
    }
}
