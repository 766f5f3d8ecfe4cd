/// One DQN hyper-parameter of the agent config's `dqn` object, and whether a training request may set it.
///
/// ``all`` is the one list of them on the Swift side: the launcher validates training `params` with it, the
/// OpenAPI document describes them from it, and a test checks it against `$defs.run_config_dqn` of
/// agent/playtest_agent/protocol.schema.json (generated from `DqnHyperParams` in agent/playtest_agent/dqn.py). Adding
/// a parameter: one field in `DqnHyperParams`, regenerate the schema, one entry here.
public struct DQNParameter: Sendable, Hashable {
    /// The JSON type of the value in the agent config.
    public enum ValueType: String, Sendable, Hashable {
        case integer, number, boolean, string, integers, strings
    }

    /// What a training request's `params` accepts for it, and how that becomes the config value.
    public enum Accepts: Sendable, Hashable {
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        /// One of these words, each standing for a config value (`network_type: dqn_rnn` → `recurrent: true`).
        case choice([String: JSONValue])
    }

    /// A training request's name for it and what it accepts.
    public struct Request: Sendable, Hashable {
        public var name: String
        public var accepts: Accepts
    }

    /// Its key in the config's `dqn` object.
    public var name: String
    public var type: ValueType
    /// nil when a request cannot set it (the agent's default, or the checkpoint's, applies).
    public var request: Request?

    init(_ name: String, _ type: ValueType, request: Request? = nil) {
        self.name = name
        self.type = type
        self.request = request
    }

    /// Settable by a request under its own name.
    static func param(_ name: String, _ accepts: Accepts) -> DQNParameter {
        DQNParameter(name, accepts.valueType, request: Request(name: name, accepts: accepts))
    }

    static let rewardRange: ClosedRange<Double> = -1000...1000

    public static let all: [DQNParameter] = [
        // Input
        DQNParameter("frame_height", .integer, request: Request(name: "height", accepts: .integer(16...240))),
        DQNParameter("frame_width", .integer, request: Request(name: "width", accepts: .integer(16...320))),
        .param("grayscale", .boolean),
        .param("frame_history", .integer(1...8)),
        DQNParameter("crop_top", .number),
        DQNParameter("crop_bottom", .number),
        DQNParameter("game_variables", .strings),
        // Network
        DQNParameter("conv_channels", .integers),
        .param("hidden_size", .integer(8...4096)),
        DQNParameter("recurrent", .boolean, request: Request(
            name: "network_type", accepts: .choice(["dqn_ff": .bool(false), "dqn_rnn": .bool(true)]))),
        .param("lstm_size", .integer(8...4096)),
        .param("sequence_length", .integer(2...64)),
        DQNParameter("burn_in", .integer),
        // Learning
        .param("gamma", .number(0...1)),
        DQNParameter("optimizer", .string, request: Request(
            name: "optimizer", accepts: .choice(["adam": .string("adam"), "rmsprop": .string("rmsprop")]))),
        .param("learning_rate", .number(1e-7...1)),
        .param("batch_size", .integer(1...1024)),
        .param("replay_size", .integer(100...1_000_000)),
        .param("learning_starts", .integer(0...1_000_000)),
        .param("train_every", .integer(1...64)),
        .param("target_update_every", .integer(1...1_000_000)),
        DQNParameter("huber_delta", .number),
        DQNParameter("grad_clip", .number),
        DQNParameter("double_dqn", .boolean),
        // Exploration
        .param("epsilon_start", .number(0...1)),
        .param("epsilon_end", .number(0...1)),
        .param("epsilon_decay", .integer(1...10_000_000)),
        DQNParameter("epsilon_eval", .number),
        // Reward shaping
        .param("reward_scale", .number(rewardRange)),
        .param("health_delta_reward", .number(rewardRange)),
        .param("ammo_used_reward", .number(rewardRange)),
        .param("kill_reward", .number(rewardRange)),
        .param("item_reward", .number(rewardRange)),
        .param("death_reward", .number(rewardRange)),
        .param("movement_reward", .number(rewardRange)),
    ]

    /// The parameters a training request may set, by their request name.
    public static let requestable: [String: DQNParameter] = Dictionary(
        uniqueKeysWithValues: all.compactMap { parameter in parameter.request.map { ($0.name, parameter) } })
}

extension DQNParameter.Accepts {
    var valueType: DQNParameter.ValueType {
        switch self {
        case .integer: .integer
        case .number: .number
        case .boolean: .boolean
        case .choice(let values): values.values.first.map { if case .bool = $0 { .boolean } else { .string } } ?? .string
        }
    }
}
