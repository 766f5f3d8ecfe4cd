import Foundation
import PlaytestCore
import PlaytestStorage

/// `GET /training/{id}/logs`: a training run's learning curve and its summary (seed 001's shape, plus the run's
/// status, the map inside the WAD and error).
public struct TrainingLog: Encodable, Sendable {
    public var trainingID: String
    public var status: RunStatus
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var iterations: [TrainingLogPoint]
    /// Over the points that have a loss; nil when none has.
    public var maxLoss: Double?
    public var minLoss: Double?
    public var meanLoss: Double?
    public var finalLoss: Double?
    public var startedAt: Date?
    public var completedAt: Date?
    /// From start to completion (or to now while the run goes); nil before it started.
    public var durationSeconds: Double?
    public var maxIterations: Int
    /// The last reported iteration; nil before the first report.
    public var finalIteration: Int?
    public var error: String?

    init(trainingID: String, status: RunStatus, mapID: String, mapName: String, map: String, iterations: [TrainingLogPoint],
         startedAt: Date?, completedAt: Date?, durationSeconds: Double?, maxIterations: Int, finalIteration: Int?,
         error: String?) {
        self.trainingID = trainingID
        self.status = status
        self.mapID = mapID
        self.mapName = mapName
        self.map = map
        self.iterations = iterations
        let losses = iterations.compactMap(\.dqnLoss)
        self.maxLoss = losses.max()
        self.minLoss = losses.min()
        self.meanLoss = losses.isEmpty ? nil : losses.reduce(0, +) / Double(losses.count)
        self.finalLoss = losses.last
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.durationSeconds = durationSeconds
        self.maxIterations = maxIterations
        self.finalIteration = finalIteration
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case trainingID = "training_id"
        case status, iterations
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case maxLoss = "max_loss"
        case minLoss = "min_loss"
        case meanLoss = "mean_loss"
        case finalLoss = "final_loss"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case durationSeconds = "duration_seconds"
        case maxIterations = "max_iterations"
        case finalIteration = "final_iteration"
        case error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(status, forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(maxLoss, forKey: .maxLoss)
        try c.encode(minLoss, forKey: .minLoss)
        try c.encode(meanLoss, forKey: .meanLoss)
        try c.encode(finalLoss, forKey: .finalLoss)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encodeTimestamp(completedAt, forKey: .completedAt)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(maxIterations, forKey: .maxIterations)
        try c.encode(finalIteration, forKey: .finalIteration)
        try c.encode(error, forKey: .error)
    }
}

/// One point of a training run's learning curve.
public struct TrainingLogPoint: Codable, Sendable, Hashable {
    public var iteration: Int
    public var dqnLoss: Double?
    public var epsilon: Double
    public var meanReward: Double?
    public var meanKills: Double?
    public var stepsPerSecond: Double
    public var timestamp: Date

    public init(iteration: Int, dqnLoss: Double?, epsilon: Double, meanReward: Double?, meanKills: Double? = nil,
                stepsPerSecond: Double, timestamp: Date) {
        self.iteration = iteration
        self.dqnLoss = dqnLoss
        self.epsilon = epsilon
        self.meanReward = meanReward
        self.meanKills = meanKills
        self.stepsPerSecond = stepsPerSecond
        self.timestamp = timestamp
    }

    public init(_ row: TrainingMetricRow) {
        self.init(iteration: row.iteration, dqnLoss: row.loss, epsilon: row.epsilon, meanReward: row.meanEpisodeReward,
                  meanKills: row.meanEpisodeKills, stepsPerSecond: row.stepsPerSecond, timestamp: row.recordedAt)
    }

    enum CodingKeys: String, CodingKey {
        case iteration
        case dqnLoss = "dqn_loss"
        case epsilon
        case meanReward = "mean_reward"
        case meanKills = "mean_kills"
        case stepsPerSecond = "steps_per_s"
        case timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(iteration, forKey: .iteration)
        try c.encode(dqnLoss, forKey: .dqnLoss)
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(meanReward, forKey: .meanReward)
        try c.encode(meanKills, forKey: .meanKills)
        try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
        try c.encodeTimestamp(timestamp, forKey: .timestamp)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iteration = try c.decode(Int.self, forKey: .iteration)
        dqnLoss = try c.decodeIfPresent(Double.self, forKey: .dqnLoss)
        epsilon = try c.decode(Double.self, forKey: .epsilon)
        meanReward = try c.decodeIfPresent(Double.self, forKey: .meanReward)
        meanKills = try c.decodeIfPresent(Double.self, forKey: .meanKills)
        stepsPerSecond = try c.decode(Double.self, forKey: .stepsPerSecond)
        timestamp = try c.decodeRequiredTimestamp(forKey: .timestamp)
    }
}

extension TrainingLogPoint {
    /// The JSON for `LiveRunSnapshot.latestMetrics`.
    public func json() throws -> String { try StoredJSON.encode(self) }

    public init(json: String) throws {
        self = try StoredJSON.decode(TrainingLogPoint.self, from: json, table: "the live hash")
    }
}
