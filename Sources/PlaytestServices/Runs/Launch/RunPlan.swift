import Foundation
import PlaytestCore
import PlaytestStorage

/// What the worker needs to play a run, resolved by the launcher from the request and stored in `runs.plan` as JSON
/// in its one canonical form (``json()``: `PlaytestJSON`, sorted keys). The worker decodes it once per attempt.
public struct RunPlan: Codable, Sendable, Hashable {
    /// Lump name inside the WAD, upper case.
    public var mapName: String
    /// VizDoom scenario .cfg file name (built-in scenario maps), else nil.
    public var scenario: String?
    /// random | explorer | navigator | dqn (training: dqn).
    public var agent: String
    /// Test with dqn: a built-in name ("general", "defend_the_center", "health_gathering") or a
    /// stored checkpoint id "ckpt_…".
    public var checkpoint: String?
    /// e.g. "turn_lr;attack"; nil = the scenario's / agent's default.
    public var actionCombinations: String?
    /// Testing: episodes to play.
    public var episodes: Int?
    /// nil = the scenario's/map's own.
    public var episodeTimeoutTics: Int?
    public var skill: Int
    public var seed: Int?
    public var recordDemos: Bool
    /// Screenshots on death/stuck (+ `screenshotTics`).
    public var screenshots: Bool
    public var screenshotTics: [Int]
    /// Training: the iteration to stop at.
    public var maxIterations: Int?
    public var frameSkip: Int?
    /// e.g. "160x120".
    public var resolution: String?
    /// DQN hyper-parameters for the agent config's `dqn` object.
    public var dqn: [String: JSONValue]
    /// Training: checkpoint every N iterations.
    public var checkpointEvery: Int
    /// Training: a `train_progress` message every N iterations.
    public var progressEvery: Int
    /// Training: a checkpoint id "ckpt_…" to start from.
    public var resumeFrom: String?
    /// Evaluate: a step message every K steps (1 = all).
    public var telemetryEvery: Int
    /// A navigation-only test (the engine's `god` cheat); nil: off.
    public var godMode: Bool?
    /// A test run's evidence (docs/evidence.md): after it completes, each episode's demo is replayed in colour into a
    /// video and screenshots by a `run.evidence` job. Needs `recordDemos`; nil: none (runs planned before it existed).
    public var evidence: Bool?

    public init(
        mapName: String, scenario: String? = nil, agent: String, checkpoint: String? = nil,
        actionCombinations: String? = nil, episodes: Int? = nil, episodeTimeoutTics: Int? = nil, skill: Int = 3,
        seed: Int? = nil, recordDemos: Bool = false, screenshots: Bool = false, screenshotTics: [Int] = [],
        maxIterations: Int? = nil, frameSkip: Int? = nil, resolution: String? = nil, dqn: [String: JSONValue] = [:],
        checkpointEvery: Int = 10_000, progressEvery: Int = 1_000, resumeFrom: String? = nil, telemetryEvery: Int = 1,
        godMode: Bool? = nil, evidence: Bool? = nil
    ) {
        self.mapName = mapName
        self.scenario = scenario
        self.agent = agent
        self.checkpoint = checkpoint
        self.actionCombinations = actionCombinations
        self.episodes = episodes
        self.episodeTimeoutTics = episodeTimeoutTics
        self.skill = skill
        self.seed = seed
        self.recordDemos = recordDemos
        self.screenshots = screenshots
        self.screenshotTics = screenshotTics
        self.maxIterations = maxIterations
        self.frameSkip = frameSkip
        self.resolution = resolution
        self.dqn = dqn
        self.checkpointEvery = checkpointEvery
        self.progressEvery = progressEvery
        self.resumeFrom = resumeFrom
        self.telemetryEvery = telemetryEvery
        self.godMode = godMode
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case mapName = "map_name"
        case scenario, agent, checkpoint
        case actionCombinations = "action_combinations"
        case episodes
        case episodeTimeoutTics = "episode_timeout_tics"
        case skill, seed
        case recordDemos = "record_demos"
        case screenshots
        case screenshotTics = "screenshot_tics"
        case maxIterations = "max_iterations"
        case frameSkip = "frame_skip"
        case resolution, dqn
        case checkpointEvery = "checkpoint_every"
        case progressEvery = "progress_every"
        case resumeFrom = "resume_from"
        case telemetryEvery = "telemetry_every"
        case godMode = "god_mode"
        case evidence
    }

    /// The JSON stored in `runs.plan`.
    public func json() throws -> String {
        try StoredJSON.encode(self)
    }

    /// Parses `runs.plan`.
    public init(json: String) throws {
        do {
            self = try PlaytestJSON.decode(RunPlan.self, from: json)
        } catch {
            throw RunStoreError.invalidPlan(String(describing: error))
        }
    }

    /// The scenario's name without `.cfg` (`defend_the_center`).
    public var scenarioName: String? {
        scenario.map { $0.hasSuffix(".cfg") ? String($0.dropLast(4)) : $0 }
    }
}
