import Foundation
import PlaytestCore

/// Play `episodes` episodes of one map with an agent or a checkpoint (`POST /testing/start`, `playtest test`).
public struct TestRunRequest: Sendable, Hashable {
    /// The library map's id (a UUID, any case).
    public var mapID: String
    /// The map inside the WAD (`MAP01`, any case); nil = the WAD's first.
    public var map: String?
    /// random | explorer | dqn; nil picks dqn when a checkpoint is given, else explorer.
    public var agent: String?
    /// A built-in checkpoint name (also given the seed's way, `pretrained/defend_the_center.pth`) or a stored
    /// checkpoint id (`ckpt_…`).
    public var checkpoint: String?
    public var episodes: Int
    public var actionCombinations: String?
    /// `scenario`, `episode_time` (s), `visualize`, `skill`, `seed`, `record_demos`, … (``RunParams/testing``).
    public var params: [String: JSONValue]

    public init(mapID: String, map: String? = nil, agent: String? = nil, checkpoint: String? = nil, episodes: Int,
                actionCombinations: String? = nil, params: [String: JSONValue] = [:]) {
        self.mapID = mapID
        self.map = map
        self.agent = agent
        self.checkpoint = checkpoint
        self.episodes = episodes
        self.actionCombinations = actionCombinations
        self.params = params
    }
}

/// Train a DQN on one map for `maxIterations` agent steps (`POST /training/start`, `playtest train`).
public struct TrainingRunRequest: Sendable, Hashable {
    public var mapID: String
    /// The map inside the WAD (`MAP01`, any case); nil = the WAD's first.
    public var map: String?
    public var maxIterations: Int
    /// nil = the scenario's own buttons (or the default groups on a plain map).
    public var actionCombinations: String?
    /// `scenario`, `height`, `width`, `frame_skip`, `network_type`, `batch_size`, `learning_rate`, `gamma`, …
    /// (``RunParams/training``).
    public var params: [String: JSONValue]
    /// A checkpoint id (`ckpt_…`) or a training run id (its newest checkpoint) to continue from.
    public var resumeFrom: String?

    public init(mapID: String, map: String? = nil, maxIterations: Int, actionCombinations: String? = nil,
                params: [String: JSONValue] = [:], resumeFrom: String? = nil) {
        self.mapID = mapID
        self.map = map
        self.maxIterations = maxIterations
        self.actionCombinations = actionCombinations
        self.params = params
        self.resumeFrom = resumeFrom
    }
}
