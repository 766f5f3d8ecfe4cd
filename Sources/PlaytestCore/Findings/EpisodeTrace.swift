/// Where one episode's player was, sample by sample: what the detectors that judge places (softlocks, sequence
/// breaks, items never reached) read from a test run's stored steps.
public struct EpisodeTrace: Sendable {
    public struct Sample: Sendable, Hashable {
        public var tic: Int
        public var position: MapPoint
        public var alive: Bool
        /// The keys held, from agents that track them (the navigator); nil when the agent cannot say.
        public var keys: KeySet?

        public init(tic: Int, position: MapPoint, alive: Bool = true, keys: KeySet? = nil) {
            self.tic = tic
            self.position = position
            self.alive = alive
            self.keys = keys
        }
    }

    public var episode: Int
    public var samples: [Sample]
    /// Whether the episode ended at an exit.
    public var reachedExit: Bool

    public init(episode: Int, samples: [Sample], reachedExit: Bool) {
        self.episode = episode
        self.samples = samples
        self.reachedExit = reachedExit
    }
}
