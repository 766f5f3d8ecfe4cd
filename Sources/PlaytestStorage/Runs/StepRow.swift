import PlaytestCore

/// One stored per-step sample of a test run (`run_steps`): the columns of a `step` message the run
/// pages and heatmaps read.
public struct StepRow: Sendable, Hashable {
    public var episode: Int
    public var step: Int
    public var tic: Int
    public var x: Double
    public var y: Double
    public var angle: Double
    public var health: Int
    public var armor: Int
    public var ammo: Int
    public var weapon: Int
    public var killcount: Int
    public var action: Int
    /// nil when the engine reported a non-finite reward.
    public var reward: Double?
    /// The keys held, from agents that track them (the navigator); nil otherwise.
    public var keys: KeySet?

    public init(episode: Int, step: Int, tic: Int, x: Double, y: Double, angle: Double, health: Int, armor: Int,
                ammo: Int, weapon: Int, killcount: Int, action: Int, reward: Double?, keys: KeySet? = nil) {
        self.episode = episode
        self.step = step
        self.tic = tic
        self.x = x
        self.y = y
        self.angle = angle
        self.health = health
        self.armor = armor
        self.ammo = ammo
        self.weapon = weapon
        self.killcount = killcount
        self.action = action
        self.reward = reward
        self.keys = keys
    }

    public init(_ sample: StepSample) {
        self.init(episode: sample.episode, step: sample.step, tic: sample.tic, x: sample.x, y: sample.y,
                  angle: sample.angle, health: sample.health, armor: sample.armor, ammo: sample.ammo,
                  weapon: sample.weapon, killcount: sample.killcount, action: sample.action, reward: sample.reward,
                  keys: sample.keys.map(KeySet.init(names:)))
    }
}
