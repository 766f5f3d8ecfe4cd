/// The Redis keys of seed 000 for one agent session, and their bounds (docs/live-state.md). The agent id is the
/// run's id: one agent plays one run. Every key but the heartbeat expires `sessionTTL` after its last write.
public struct AgentLiveKeys: Sendable, Hashable {
    public let agentID: String

    public init(agentID: String) {
        self.agentID = agentID
    }

    public var state: String { "agent:\(agentID):state" }
    public var heartbeat: String { "agent:\(agentID):heartbeat" }
    public var frames: String { "agent:\(agentID):frames" }
    public var decisions: String { "agent:\(agentID):decisions" }
    public var milestones: String { "agent:\(agentID):milestones" }
    public var locations: String { "agent:\(agentID):locations" }
    public var rewards: String { "agent:\(agentID):rewards" }
    public var progress: String { "agent:\(agentID):progress" }
    public var stuck: String { "agent:\(agentID):stuck" }

    /// Every key of the session, for tests, clean-up and the memory measurement.
    public var all: [String] { [state, heartbeat, frames, decisions, milestones, locations, rewards, progress, stuck] }

    /// The bounds that keep a session's memory inside its budget (docs/live-state.md).
    public enum Bounds {
        public static let decisions = 100
        public static let rewards = 100
        /// 64-unit cells kept in `:locations`, the most visited ones.
        public static let locationCells = 1024
        /// Cells listed in `:progress` as `locations_this_episode`.
        public static let progressCells = 512
        /// Known stuck spots carried in `:stuck`.
        public static let stuckSpots = 50
        public static let heartbeatTTL: Duration = .seconds(15)
    }
}
