/// The navigator's current goal (`goal` of `step` and `episode_end`, docs/navigation.md "Telemetry of the
/// navigator"): which plan step it works on and what it is doing, so that an episode that missed the exit can be
/// explained. Only the navigator sends it.
public struct NavigatorGoal: Sendable, Hashable, Codable {
    /// What a plan step asks for (`explore` once the plan is done without the exit).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case walk, pickup, use, shoot, cross, teleport, kill, exit, explore
    }

    /// What the navigator was doing about it.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case walking, acting, waiting, fighting, unsticking, replanning
    }

    /// Index of the plan step (from 0); the number of steps once the plan is done.
    public var step: Int
    public var kind: Kind
    public var node: Int?
    public var line: Int?
    public var state: State
    /// The graph node the player was heading for.
    public var waypoint: Int?
    /// The sector (door, lift) being opened or waited for.
    public var mover: Int?

    public init(step: Int, kind: Kind, node: Int? = nil, line: Int? = nil, state: State, waypoint: Int? = nil, mover: Int? = nil) {
        self.step = step
        self.kind = kind
        self.node = node
        self.line = line
        self.state = state
        self.waypoint = waypoint
        self.mover = mover
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case step, kind, node, line, state, waypoint, mover
    }

    /// Every key is written (null when absent), as the protocol requires.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(kind, forKey: .kind)
        try c.encode(node, forKey: .node)
        try c.encode(line, forKey: .line)
        try c.encode(state, forKey: .state)
        try c.encode(waypoint, forKey: .waypoint)
        try c.encode(mover, forKey: .mover)
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Set(CodingKeys.allCases.map(\.rawValue)))
        self.init(step: try f.int("step"), kind: try f.choice("kind", as: Kind.self), node: try f.optionalInt("node"),
                  line: try f.optionalInt("line"), state: try f.choice("state", as: State.self),
                  waypoint: try f.optionalInt("waypoint"), mover: try f.optionalInt("mover"))
    }
}
