/// A `step` message: the game variables after one agent step, sent every `telemetry_every` steps.
///
/// Positions are in map units, `angle` in degrees. Counters (`killcount`, `itemcount`, `secretcount`,
/// `damage_taken`, `damagecount`, `hitcount`) are totals since the episode started.
public struct StepSample: Sendable, Hashable, Codable {
    public var episode: Int
    /// Agent steps since the episode started (1 for the first step).
    public var step: Int
    /// Game tics since the episode started (35 per second).
    public var tic: Int
    public var x: Double
    public var y: Double
    public var z: Double
    public var angle: Double
    /// Can go below zero when the player is gibbed.
    public var health: Int
    public var armor: Int
    /// Ammo of the selected weapon.
    public var ammo: Int
    /// The selected weapon's slot (VizDoom `SELECTED_WEAPON`).
    public var weapon: Int
    public var killcount: Int
    public var itemcount: Int
    public var secretcount: Int
    public var damageTaken: Int
    public var damagecount: Int
    public var hitcount: Int
    public var dead: Bool
    /// Index of the action in the run's action set.
    public var action: Int
    /// Names of the buttons that action presses.
    public var buttons: [String]
    /// The step's reward; null when the engine reported a non-finite value.
    public var reward: Double?
    /// The navigator's goal at this step; nil for other agents.
    public var goal: NavigatorGoal?
    /// How sure the agent was of this step's action, 0...1 (the DQN's Q-value margin, the navigator's plan
    /// certainty); nil for agents that cannot say.
    public var confidence: Double?
    /// Keys the agent holds (`blue_card`, `red_skull`, …), from agents that track them; nil otherwise.
    public var keys: [String]?

    public init(episode: Int = 0, step: Int, tic: Int, x: Double = 0, y: Double = 0, z: Double = 0, angle: Double = 0,
                health: Int = 100, armor: Int = 0, ammo: Int = 50, weapon: Int = 2, killcount: Int = 0, itemcount: Int = 0,
                secretcount: Int = 0, damageTaken: Int = 0, damagecount: Int = 0, hitcount: Int = 0, dead: Bool = false,
                action: Int = 0, buttons: [String] = [], reward: Double? = 0, goal: NavigatorGoal? = nil, confidence: Double? = nil,
                keys: [String]? = nil) {
        self.episode = episode
        self.step = step
        self.tic = tic
        self.x = x
        self.y = y
        self.z = z
        self.angle = angle
        self.health = health
        self.armor = armor
        self.ammo = ammo
        self.weapon = weapon
        self.killcount = killcount
        self.itemcount = itemcount
        self.secretcount = secretcount
        self.damageTaken = damageTaken
        self.damagecount = damagecount
        self.hitcount = hitcount
        self.dead = dead
        self.action = action
        self.buttons = buttons
        self.reward = reward
        self.goal = goal
        self.confidence = confidence
        self.keys = keys
    }

    /// The player's position on the map.
    public var position: MapPoint { MapPoint(x: x, y: y) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case episode, step, tic, x, y, z, angle, health, armor, ammo, weapon, killcount, itemcount, secretcount
        case damageTaken = "damage_taken"
        case damagecount, hitcount, dead, action, buttons, reward, goal, confidence, keys
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    /// `reward` is written as null when absent, as the protocol requires it present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(episode, forKey: .episode)
        try c.encode(step, forKey: .step)
        try c.encode(tic, forKey: .tic)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encode(z, forKey: .z)
        try c.encode(angle, forKey: .angle)
        try c.encode(health, forKey: .health)
        try c.encode(armor, forKey: .armor)
        try c.encode(ammo, forKey: .ammo)
        try c.encode(weapon, forKey: .weapon)
        try c.encode(killcount, forKey: .killcount)
        try c.encode(itemcount, forKey: .itemcount)
        try c.encode(secretcount, forKey: .secretcount)
        try c.encode(damageTaken, forKey: .damageTaken)
        try c.encode(damagecount, forKey: .damagecount)
        try c.encode(hitcount, forKey: .hitcount)
        try c.encode(dead, forKey: .dead)
        try c.encode(action, forKey: .action)
        try c.encode(buttons, forKey: .buttons)
        try c.encode(reward, forKey: .reward)
        try c.encodeIfPresent(goal, forKey: .goal)
        try c.encodeIfPresent(confidence, forKey: .confidence)
        try c.encodeIfPresent(keys, forKey: .keys)
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(
            episode: try f.int("episode"), step: try f.int("step", min: 1), tic: try f.int("tic"),
            x: try f.double("x"), y: try f.double("y"), z: try f.double("z"), angle: try f.double("angle"),
            health: try f.int("health", min: nil), armor: try f.int("armor"), ammo: try f.int("ammo"),
            weapon: try f.int("weapon"), killcount: try f.int("killcount"), itemcount: try f.int("itemcount"),
            secretcount: try f.int("secretcount"), damageTaken: try f.int("damage_taken"),
            damagecount: try f.int("damagecount"), hitcount: try f.int("hitcount"), dead: try f.bool("dead"),
            action: try f.int("action"), buttons: try f.stringArray("buttons"), reward: try f.optionalDouble("reward"),
            goal: try f.optionalObject("goal").map { fields throws(AgentProtocolError) in try NavigatorGoal(fields: fields) },
            confidence: f.has("confidence") ? try f.double("confidence", min: 0, max: 1) : nil,
            keys: f.has("keys") ? try f.stringArray("keys") : nil
        )
    }
}
