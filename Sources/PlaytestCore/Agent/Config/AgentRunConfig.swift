/// The agent's `run.json` (docs/agent-protocol.md, "Config"): what to play, with which agent, and where to write.
///
/// The keys are the agent runtime's own (`RunConfig` and `EnvConfig` in agent/playtest_agent/config.py); the JSON
/// schema of the config is `$defs.run_config` in agent/playtest_agent/protocol.schema.json, generated from those
/// dataclasses, and a test fails when this type and the schema disagree. A field left nil is not written, so the
/// agent's default applies. To add a key: add it to the Python dataclass, regenerate the schema
/// (`python -m playtest_agent.config_schema --write`), then add it here.
public struct AgentRunConfig: Codable, Sendable, Hashable {
    public var agent: String?
    public var wad: String?
    public var pwads: [String]?
    public var map: String?
    public var scenarioCfg: String?
    public var checkpoint: String?
    public var episodes: Int?
    public var iterations: Int?
    public var seed: Int?
    public var env: Env?
    public var telemetryEvery: Int?
    public var checkpointDir: String?
    public var screenshotDir: String?
    public var demoDir: String?
    public var recordDemos: Bool?
    public var screenshotTics: [Int]?
    public var screenshotOn: [String]?
    public var stuckTics: Int?
    public var checkpointEvery: Int?
    public var progressEvery: Int?
    public var resumeFrom: String?
    public var torchThreads: Int?
    /// DQN hyper-parameters by their config key (``DQNParameter/all`` lists them).
    public var dqn: [String: JSONValue]?
    /// Training on several maps: each entry sets `wad`, `pwads`, `map` or `scenario_cfg`.
    public var trainMaps: [[String: JSONValue]]?
    /// Agent `navigator`: the planner's route and walkable graph (``NavigationConfig``, docs/navigation.md).
    public var navigation: JSONValue?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case agent, wad, pwads, map, checkpoint, episodes, iterations, seed, env, dqn, navigation
        case scenarioCfg = "scenario_cfg"
        case telemetryEvery = "telemetry_every"
        case checkpointDir = "checkpoint_dir"
        case screenshotDir = "screenshot_dir"
        case demoDir = "demo_dir"
        case recordDemos = "record_demos"
        case screenshotTics = "screenshot_tics"
        case screenshotOn = "screenshot_on"
        case stuckTics = "stuck_tics"
        case checkpointEvery = "checkpoint_every"
        case progressEvery = "progress_every"
        case resumeFrom = "resume_from"
        case torchThreads = "torch_threads"
        case trainMaps = "train_maps"
    }

    /// The `env` object: the VizDoom environment.
    public struct Env: Codable, Sendable, Hashable {
        public var resolution: String?
        public var screenFormat: String?
        public var frameSkip: Int?
        /// In tics (35 per second).
        public var episodeTimeout: Int?
        public var skill: Int?
        public var actionCombinations: String?
        public var depth: Bool?
        public var labels: Bool?
        public var automap: Bool?
        public var objectsInfo: Bool?
        public var renderHud: Bool?
        public var watchdogS: Double?
        /// A navigation-only test: the engine's `god` cheat in every episode.
        public var godMode: Bool?

        public init() {}

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case resolution, skill, depth, labels, automap
            case screenFormat = "screen_format"
            case frameSkip = "frame_skip"
            case episodeTimeout = "episode_timeout"
            case actionCombinations = "action_combinations"
            case objectsInfo = "objects_info"
            case renderHud = "render_hud"
            case watchdogS = "watchdog_s"
            case godMode = "god_mode"
        }

        /// True when no field is set (the `env` object can then be left out).
        public var isEmpty: Bool { self == Env() }
    }
}
