import Foundation

/// `testing_progress`: where a test run is (docs/runs.md).
public struct TestingProgress: Sendable, Hashable, Codable {
    public var testID: String
    public var episode: Int
    public var kills: Int
    public var health: Int
    public var timestamp: Date
    public var totalEpisodes: Int
    public var episodesCompleted: Int
    public var progressPercent: Double
    public var steps: Int

    public init(testID: String, episode: Int, kills: Int, health: Int, timestamp: Date, totalEpisodes: Int,
                episodesCompleted: Int, progressPercent: Double, steps: Int) {
        self.testID = testID
        self.episode = episode
        self.kills = kills
        self.health = health
        self.timestamp = timestamp
        self.totalEpisodes = totalEpisodes
        self.episodesCompleted = episodesCompleted
        self.progressPercent = progressPercent
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case episode, kills, health, timestamp
        case totalEpisodes = "total_episodes"
        case episodesCompleted = "episodes_completed"
        case progressPercent = "progress_percent"
        case steps
    }
}

/// `training_progress`: a training run's latest learning figures.
public struct TrainingProgress: Sendable, Hashable, Codable {
    public var trainingID: String
    public var iteration: Int
    public var dqnLoss: Double?
    public var timestamp: Date
    public var maxIterations: Int
    public var progressPercent: Double
    public var epsilon: Double
    public var meanReward: Double?
    public var stepsPerSecond: Double

    public init(trainingID: String, iteration: Int, dqnLoss: Double?, timestamp: Date, maxIterations: Int,
                progressPercent: Double, epsilon: Double, meanReward: Double?, stepsPerSecond: Double) {
        self.trainingID = trainingID
        self.iteration = iteration
        self.dqnLoss = dqnLoss
        self.timestamp = timestamp
        self.maxIterations = maxIterations
        self.progressPercent = progressPercent
        self.epsilon = epsilon
        self.meanReward = meanReward
        self.stepsPerSecond = stepsPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case trainingID = "training_id"
        case iteration
        case dqnLoss = "dqn_loss"
        case timestamp
        case maxIterations = "max_iterations"
        case progressPercent = "progress_percent"
        case epsilon
        case meanReward = "mean_reward"
        case stepsPerSecond = "steps_per_s"
    }

    /// Writes `dqn_loss` and `mean_reward` as null rather than leaving them out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(iteration, forKey: .iteration)
        try c.encode(dqnLoss, forKey: .dqnLoss)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(maxIterations, forKey: .maxIterations)
        try c.encode(progressPercent, forKey: .progressPercent)
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(meanReward, forKey: .meanReward)
        try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
    }
}

/// `testing_completed`: a test run finished all its episodes.
public struct TestingCompleted: Sendable, Hashable, Codable {
    public var testID: String
    public var episodesCompleted: Int
    public var totalKills: Int
    public var meanKills: Double
    public var timestamp: Date

    public init(testID: String, episodesCompleted: Int, totalKills: Int, meanKills: Double, timestamp: Date) {
        self.testID = testID
        self.episodesCompleted = episodesCompleted
        self.totalKills = totalKills
        self.meanKills = meanKills
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case episodesCompleted = "episodes_completed"
        case totalKills = "total_kills"
        case meanKills = "mean_kills"
        case timestamp
    }
}

/// `training_completed`: a training run reached its last iteration.
public struct TrainingCompleted: Sendable, Hashable, Codable {
    public var trainingID: String
    public var finalIteration: Int
    public var finalLoss: Double?
    public var durationSeconds: Double
    public var timestamp: Date

    public init(trainingID: String, finalIteration: Int, finalLoss: Double?, durationSeconds: Double, timestamp: Date) {
        self.trainingID = trainingID
        self.finalIteration = finalIteration
        self.finalLoss = finalLoss
        self.durationSeconds = durationSeconds
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case trainingID = "training_id"
        case finalIteration = "final_iteration"
        case finalLoss = "final_loss"
        case durationSeconds = "duration_seconds"
        case timestamp
    }

    /// Writes `final_loss` as null rather than leaving it out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(finalIteration, forKey: .finalIteration)
        try c.encode(finalLoss, forKey: .finalLoss)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(timestamp, forKey: .timestamp)
    }
}
