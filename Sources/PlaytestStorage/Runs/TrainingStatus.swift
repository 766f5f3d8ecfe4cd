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

    /// The newest learning figures: the newest point of the training log. Its JSON is also what
    /// `LiveRunSnapshot.latestMetrics` holds.
    public typealias LatestMetrics = TrainingLogPoint

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
