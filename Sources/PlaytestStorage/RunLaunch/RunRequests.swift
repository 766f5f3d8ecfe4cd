import Foundation

/// `POST /testing/start` and `playtest test`: play `episodes` episodes of one map with an agent or a checkpoint.
public struct TestRunRequest: Sendable, Hashable {
    public var mapID: UUID
    public var mapName: String?
    /// random | explorer | dqn; nil picks dqn when a checkpoint is given, else explorer.
    public var agent: String?
    /// A built-in checkpoint name or a stored checkpoint id (`ckpt_…`).
    public var checkpoint: String?
    public var episodes: Int
    public var actionCombinations: String?
    /// `scenario`, `episode_time` (s), `visualize`, `skill`, `seed`, `record_demos`, … (TestRunParams lists them all).
    public var params: [String: RequestValue]

    public init(mapID: UUID, mapName: String? = nil, agent: String? = nil, checkpoint: String? = nil, episodes: Int,
                actionCombinations: String? = nil, params: [String: RequestValue] = [:]) {
        self.mapID = mapID
        self.mapName = mapName
        self.agent = agent
        self.checkpoint = checkpoint
        self.episodes = episodes
        self.actionCombinations = actionCombinations
        self.params = params
    }

    static let fields: Set<String> = ["map_id", "map_name", "agent", "checkpoint", "episodes", "action_combinations", "params"]

    /// Reads a request body, refusing unknown fields and wrong types.
    public init(json body: [String: RequestValue]) throws(RunRequestError) {
        let fields = RequestFields(body)
        try fields.rejectUnknown(allowed: Self.fields)
        self.init(
            mapID: try Self.mapID(fields), mapName: try fields.string("map_name"), agent: try fields.string("agent"),
            checkpoint: try fields.string("checkpoint"), episodes: try fields.int("episodes", in: Int.min...Int.max) ?? 1,
            actionCombinations: try fields.string("action_combinations"), params: try fields.object("params") ?? [:])
    }

    static func mapID(_ fields: RequestFields) throws(RunRequestError) -> UUID {
        guard let text = try fields.string("map_id") else { throw RunRequestError.invalid("map_id is required") }
        guard let id = UUID(uuidString: text) else {
            throw RunRequestError(.notFound, code: "map_not_found", "no map with id \(text.debugDescription) (not a map id)")
        }
        return id
    }
}

/// `POST /training/start` and `playtest train`: train a DQN on one map for `maxIterations` agent steps.
public struct TrainingRunRequest: Sendable, Hashable {
    public var mapID: UUID
    public var mapName: String?
    public var maxIterations: Int
    /// nil = the scenario's own buttons (or the default groups on a plain map).
    public var actionCombinations: String?
    /// `scenario`, `height`, `width`, `frame_skip`, `network_type`, `batch_size`, `learning_rate`, `gamma`, … (TrainingRunParams).
    public var params: [String: RequestValue]
    /// A checkpoint id (`ckpt_…`) or a training run id (its newest checkpoint) to continue from.
    public var resumeFrom: String?

    public init(mapID: UUID, mapName: String? = nil, maxIterations: Int, actionCombinations: String? = nil,
                params: [String: RequestValue] = [:], resumeFrom: String? = nil) {
        self.mapID = mapID
        self.mapName = mapName
        self.maxIterations = maxIterations
        self.actionCombinations = actionCombinations
        self.params = params
        self.resumeFrom = resumeFrom
    }

    static let fields: Set<String> = ["map_id", "map_name", "max_iterations", "action_combinations", "params", "resume_from"]

    public init(json body: [String: RequestValue]) throws(RunRequestError) {
        let fields = RequestFields(body)
        try fields.rejectUnknown(allowed: Self.fields)
        guard let iterations = try fields.int("max_iterations", in: Int.min...Int.max) else {
            throw RunRequestError.invalid("max_iterations is required")
        }
        self.init(
            mapID: try TestRunRequest.mapID(fields), mapName: try fields.string("map_name"), maxIterations: iterations,
            actionCombinations: try fields.string("action_combinations"), params: try fields.object("params") ?? [:],
            resumeFrom: try fields.string("resume_from"))
    }
}
