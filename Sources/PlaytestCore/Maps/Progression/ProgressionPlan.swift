/// The progression planner's answer for one map at one skill: can it be finished, by which route, or where
/// does progression break. JSON keys are snake_case (the map detail API's `progression` field).
public struct ProgressionPlan: Sendable, Codable, Hashable {
    public enum Verdict: String, Sendable, Codable, Hashable {
        /// The exit is reachable: `steps` is the route.
        case completable
        /// The exit cannot be reached: `blocker` names the place and the reason.
        case blocked
        /// The planner could not decide: something on the way is not modelled (a script, an unknown special).
        case unknown
    }

    public var verdict: Verdict
    /// One or two sentences for a designer.
    public var reason: String
    public var skill: Int
    public var steps: [PlanStep]
    /// Where progression breaks (blocked and unknown), nil when completable.
    public var blocker: Blocker?
    /// Specials met on the way that the planner could not model.
    public var unmodelled: [UnmodelledSpecial]
    public var stats: Stats

    public struct Blocker: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, Hashable {
            case noStart = "no_start"
            case noExit = "no_exit"
            case lock
            case switchUnreachable = "switch_unreachable"
            case noOpener = "no_opener"
            case geometry
            case unmodelled
            case searchLimit = "search_limit"
        }

        public var kind: Kind
        public var x: Double?
        public var y: Double?
        public var sector: Int?
        public var line: Int?
        /// The lock's key name (`red`, `blue_card`), for `lock`.
        public var key: String?
    }

    public struct UnmodelledSpecial: Sendable, Codable, Hashable {
        public var line: Int
        public var special: Int
        public var name: String
    }

    public struct Stats: Sendable, Codable, Hashable {
        public var nodes: Int
        public var edges: Int
        public var teleports: Int
        public var statesExplored: Int
        /// Share of the graph's nodes reachable in the best state the search found (0–1).
        public var reachableShare: Double

        enum CodingKeys: String, CodingKey {
            case nodes, edges, teleports
            case statesExplored = "states_explored"
            case reachableShare = "reachable_share"
        }
    }
}

/// One step of a route.
public struct PlanStep: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case pickup, use, shoot, cross, kill, exit
    }

    /// A live height that shows a step worked (a door is open, a lift is down).
    public struct Expectation: Sendable, Codable, Hashable {
        public var sector: Int
        public var floorAtMost: Double?
        public var floorAtLeast: Double?
        public var ceilingAtLeast: Double?

        enum CodingKeys: String, CodingKey {
            case sector
            case floorAtMost = "floor_at_most"
            case floorAtLeast = "floor_at_least"
            case ceilingAtLeast = "ceiling_at_least"
        }
    }

    public var kind: Kind
    /// The graph node where the player stands to do it.
    public var node: Int
    public var x: Double
    public var y: Double
    public var sector: Int
    public var line: Int?
    public var thing: Int?
    /// For kills: every monster of the boss action present at the plan's skill (`thing` is the first).
    public var things: [Int]? = nil
    /// The key picked up (`blue_card`), for pickups.
    public var item: String?
    /// The point to face: the line's midpoint, or the monster to kill.
    public var target: [Double]?
    /// Where the player ends up (crossings and teleports).
    public var to: Int?
    /// How an exit is set off: `use`, `cross`, `shoot` or `kill`.
    public var how: String?
    public var expect: [Expectation]
    /// The nodes walked from the previous step (or the start) to `node`.
    public var path: [Int]
    /// The same walk as map points (`[x, y]`), for clients that do not have the graph (the map and run pages).
    public var waypoints: [[Double]] = []
    /// The running leaps on that walk, as `[x1, y1, x2, y2]`: from the run-up point over the pit to the far side
    /// (absent when there are none).
    public var leaps: [[Double]]? = nil
    public var note: String
}
