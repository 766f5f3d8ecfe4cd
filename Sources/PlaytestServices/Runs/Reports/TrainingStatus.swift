import Foundation
import PlaytestCore

/// `GET /training/{id}/status`: where a training run is now (seed 001's shape, plus `error`).
public struct TrainingStatus: Encodable, Sendable {
    public struct Progress: Encodable, Sendable, Hashable {
        public var currentIteration: Int
        public var maxIterations: Int
        public var progressPercent: Double
        public var elapsedSeconds: Double
        /// nil before the first report and once the run is over.
        public var estimatedRemainingSeconds: Double?

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
    public var status: RunStatus
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var progress: Progress
    public var latestMetrics: LatestMetrics?
    public var startedAt: Date?
    public var error: String?

    init(_ facts: RunStatusFacts, now: Date) {
        let figures = facts.progress(now: now)
        trainingID = facts.id
        status = facts.status
        mapID = facts.mapID
        mapName = facts.mapName
        map = facts.map
        progress = Progress(
            currentIteration: facts.current, maxIterations: facts.total, progressPercent: figures.percent,
            elapsedSeconds: figures.elapsed, estimatedRemainingSeconds: figures.remaining)
        latestMetrics = facts.latestMetrics
        startedAt = facts.startedAt
        error = facts.error
    }

    enum CodingKeys: String, CodingKey {
        case trainingID = "training_id"
        case status, progress
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case latestMetrics = "latest_metrics"
        case startedAt = "started_at"
        case error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(status, forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        try c.encode(progress, forKey: .progress)
        try c.encode(latestMetrics, forKey: .latestMetrics)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encode(error, forKey: .error)
    }
}
