import Foundation
import PlaytestCore

/// One stored `train_progress` report of a training run (`training_metrics`).
public struct TrainingMetricRow: Sendable, Hashable, Codable {
    public var iteration: Int
    public var loss: Double?
    public var epsilon: Double
    public var meanQ: Double?
    public var meanEpisodeReward: Double?
    public var meanEpisodeKills: Double?
    public var stepsPerSecond: Double
    public var episodes: Int
    public var recordedAt: Date

    public init(iteration: Int, loss: Double?, epsilon: Double, meanQ: Double?, meanEpisodeReward: Double?,
                meanEpisodeKills: Double?, stepsPerSecond: Double, episodes: Int, recordedAt: Date) {
        self.iteration = iteration
        self.loss = loss
        self.epsilon = epsilon
        self.meanQ = meanQ
        self.meanEpisodeReward = meanEpisodeReward
        self.meanEpisodeKills = meanEpisodeKills
        self.stepsPerSecond = stepsPerSecond
        self.episodes = episodes
        self.recordedAt = recordedAt
    }

    public init(_ m: TrainProgressMessage, at: Date) {
        self.init(iteration: m.iteration, loss: m.loss, epsilon: m.epsilon, meanQ: m.meanQ,
                  meanEpisodeReward: m.meanEpisodeReward, meanEpisodeKills: m.meanEpisodeKills,
                  stepsPerSecond: m.stepsPerSecond, episodes: m.episodes, recordedAt: at)
    }
}
