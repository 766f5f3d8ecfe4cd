/// A `train_progress` message: learning curves over the last `progress_every` iterations.
public struct TrainProgressMessage: Sendable, Hashable, Codable {
    public var iteration: Int
    /// The iteration this run stops at.
    public var iterations: Int
    /// Episodes finished so far.
    public var episodes: Int
    /// Mean DQN loss over the window; null before learning starts.
    public var loss: Double?
    public var epsilon: Double
    public var meanQ: Double?
    public var meanEpisodeReward: Double?
    public var meanEpisodeKills: Double?
    public var stepsPerSecond: Double
    public var updatesPerSecond: Double
    public var updates: Int
    public var elapsedSeconds: Double

    public init(iteration: Int, iterations: Int, episodes: Int = 0, loss: Double? = nil, epsilon: Double = 1,
                meanQ: Double? = nil, meanEpisodeReward: Double? = nil, meanEpisodeKills: Double? = nil,
                stepsPerSecond: Double = 0, updatesPerSecond: Double = 0, updates: Int = 0, elapsedSeconds: Double = 0) {
        self.iteration = iteration
        self.iterations = iterations
        self.episodes = episodes
        self.loss = loss
        self.epsilon = epsilon
        self.meanQ = meanQ
        self.meanEpisodeReward = meanEpisodeReward
        self.meanEpisodeKills = meanEpisodeKills
        self.stepsPerSecond = stepsPerSecond
        self.updatesPerSecond = updatesPerSecond
        self.updates = updates
        self.elapsedSeconds = elapsedSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case iteration, iterations, episodes, loss, epsilon
        case meanQ = "mean_q"
        case meanEpisodeReward = "mean_episode_reward"
        case meanEpisodeKills = "mean_episode_kills"
        case stepsPerSecond = "steps_per_s"
        case updatesPerSecond = "updates_per_s"
        case updates
        case elapsedSeconds = "elapsed_s"
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    /// Nullable fields are written as null, as the protocol requires them present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(iteration, forKey: .iteration)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(loss, forKey: .loss)
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(meanQ, forKey: .meanQ)
        try c.encode(meanEpisodeReward, forKey: .meanEpisodeReward)
        try c.encode(meanEpisodeKills, forKey: .meanEpisodeKills)
        try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
        try c.encode(updatesPerSecond, forKey: .updatesPerSecond)
        try c.encode(updates, forKey: .updates)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(
            iteration: try f.int("iteration"), iterations: try f.int("iterations"), episodes: try f.int("episodes"),
            loss: try f.optionalDouble("loss"), epsilon: try f.double("epsilon", min: 0, max: 1),
            meanQ: try f.optionalDouble("mean_q"), meanEpisodeReward: try f.optionalDouble("mean_episode_reward"),
            meanEpisodeKills: try f.optionalDouble("mean_episode_kills"),
            stepsPerSecond: try f.double("steps_per_s", min: 0), updatesPerSecond: try f.double("updates_per_s", min: 0),
            updates: try f.int("updates"), elapsedSeconds: try f.double("elapsed_s", min: 0)
        )
    }
}

/// A `checkpoint` message: the agent wrote a training checkpoint to `path`.
public struct CheckpointMessage: Sendable, Hashable, Codable {
    public var path: String
    public var iteration: Int
    public var epsilon: Double
    /// True for the checkpoint written when training ends (completed or stopped).
    public var final: Bool
    /// The file's size.
    public var bytes: Int

    public init(path: String, iteration: Int, epsilon: Double, final: Bool, bytes: Int) {
        self.path = path
        self.iteration = iteration
        self.epsilon = epsilon
        self.final = final
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case path, iteration, epsilon, final, bytes
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(path: try f.string("path"), iteration: try f.int("iteration"),
                  epsilon: try f.double("epsilon", min: 0, max: 1), final: try f.bool("final"), bytes: try f.int("bytes"))
    }
}
