/// An `episode_start` message: a new episode began.
public struct EpisodeStartMessage: Sendable, Hashable, Codable {
    public var episode: Int
    /// The map lump being played, e.g. `MAP01`.
    public var map: String
    public var seed: Int?
    /// Where the agent records this episode's demo, when demos are on.
    public var demoPath: String?
    /// The VizDoom scenario's name (e.g. `defend_the_center`), nil for a plain map.
    public var scenario: String?

    public init(episode: Int, map: String, seed: Int? = nil, demoPath: String? = nil, scenario: String? = nil) {
        self.episode = episode
        self.map = map
        self.seed = seed
        self.demoPath = demoPath
        self.scenario = scenario
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case episode, map, seed
        case demoPath = "demo_path"
        case scenario
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(episode: try f.int("episode"), map: try f.string("map"), seed: try f.optionalInt("seed", min: nil),
                  demoPath: try f.optionalString("demo_path"), scenario: try f.optionalString("scenario"))
    }

    /// Nullable fields are written as null, as the protocol requires them present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(episode, forKey: .episode)
        try c.encode(map, forKey: .map)
        try c.encode(seed, forKey: .seed)
        try c.encode(demoPath, forKey: .demoPath)
        try c.encode(scenario, forKey: .scenario)
    }
}

/// Why an episode ended.
public enum EpisodeEndReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The player died.
    case death
    /// The episode ran out of time.
    case timeout
    /// The player reached an exit.
    case exit
    /// The run was stopped (SIGTERM) during the episode.
    case stopped
}

/// An `episode_end` message: the engine's totals when an episode finished.
public struct EpisodeEndMessage: Sendable, Hashable, Codable {
    public var episode: Int
    public var reason: EpisodeEndReason
    public var tics: Int
    public var steps: Int
    public var totalReward: Double?
    public var killcount: Int
    public var itemcount: Int
    public var secretcount: Int
    public var health: Int
    public var armor: Int
    public var damageTaken: Int
    public var damagecount: Int
    public var hitcount: Int
    public var dead: Bool
    public var x: Double
    public var y: Double
    /// Path length walked, in map units.
    public var distance: Double
    /// Grid cells of `cell_size` map units the player stood in (the agent's own coarse coverage).
    public var cellsVisited: Int
    public var cellSize: Double
    /// The navigator's goal when the episode ended (where and why it missed the exit); nil for other agents.
    public var goal: NavigatorGoal?
    /// Lines the navigator pressed that moved nothing; nil for other agents.
    public var unansweredPresses: [UnansweredPress]?

    public init(episode: Int = 0, reason: EpisodeEndReason, tics: Int, steps: Int = 0, totalReward: Double? = 0,
                killcount: Int = 0, itemcount: Int = 0, secretcount: Int = 0, health: Int = 100, armor: Int = 0,
                damageTaken: Int = 0, damagecount: Int = 0, hitcount: Int = 0, dead: Bool = false, x: Double = 0,
                y: Double = 0, distance: Double = 0, cellsVisited: Int = 0, cellSize: Double = 64, goal: NavigatorGoal? = nil,
                unansweredPresses: [UnansweredPress]? = nil) {
        self.episode = episode
        self.reason = reason
        self.tics = tics
        self.steps = steps
        self.totalReward = totalReward
        self.killcount = killcount
        self.itemcount = itemcount
        self.secretcount = secretcount
        self.health = health
        self.armor = armor
        self.damageTaken = damageTaken
        self.damagecount = damagecount
        self.hitcount = hitcount
        self.dead = dead
        self.x = x
        self.y = y
        self.distance = distance
        self.cellsVisited = cellsVisited
        self.cellSize = cellSize
        self.goal = goal
        self.unansweredPresses = unansweredPresses
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case episode, reason, tics, steps
        case totalReward = "total_reward"
        case killcount, itemcount, secretcount, health, armor
        case damageTaken = "damage_taken"
        case damagecount, hitcount, dead, x, y, distance
        case cellsVisited = "cells_visited"
        case cellSize = "cell_size"
        case goal
        case unansweredPresses = "unanswered_presses"
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    /// `total_reward` is written as null when absent, as the protocol requires it present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(episode, forKey: .episode)
        try c.encode(reason, forKey: .reason)
        try c.encode(tics, forKey: .tics)
        try c.encode(steps, forKey: .steps)
        try c.encode(totalReward, forKey: .totalReward)
        try c.encode(killcount, forKey: .killcount)
        try c.encode(itemcount, forKey: .itemcount)
        try c.encode(secretcount, forKey: .secretcount)
        try c.encode(health, forKey: .health)
        try c.encode(armor, forKey: .armor)
        try c.encode(damageTaken, forKey: .damageTaken)
        try c.encode(damagecount, forKey: .damagecount)
        try c.encode(hitcount, forKey: .hitcount)
        try c.encode(dead, forKey: .dead)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encode(distance, forKey: .distance)
        try c.encode(cellsVisited, forKey: .cellsVisited)
        try c.encode(cellSize, forKey: .cellSize)
        try c.encodeIfPresent(goal, forKey: .goal)
        try c.encodeIfPresent(unansweredPresses, forKey: .unansweredPresses)
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(
            episode: try f.int("episode"), reason: try f.choice("reason", as: EpisodeEndReason.self),
            tics: try f.int("tics"), steps: try f.int("steps"), totalReward: try f.optionalDouble("total_reward"),
            killcount: try f.int("killcount"), itemcount: try f.int("itemcount"), secretcount: try f.int("secretcount"),
            health: try f.int("health", min: nil), armor: try f.int("armor"), damageTaken: try f.int("damage_taken"),
            damagecount: try f.int("damagecount"), hitcount: try f.int("hitcount"), dead: try f.bool("dead"),
            x: try f.double("x"), y: try f.double("y"), distance: try f.double("distance", min: 0),
            cellsVisited: try f.int("cells_visited"), cellSize: try f.positiveDouble("cell_size"),
            goal: try f.optionalObject("goal").map { fields throws(AgentProtocolError) in try NavigatorGoal(fields: fields) },
            unansweredPresses: try f.optionalObjectArray("unanswered_presses").map { list throws(AgentProtocolError) in
                var presses: [UnansweredPress] = []
                for fields in list { presses.append(try UnansweredPress(fields: fields)) }
                return presses
            }
        )
    }
}
