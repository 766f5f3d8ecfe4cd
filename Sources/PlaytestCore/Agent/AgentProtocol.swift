/// Constants of the agent protocol (docs/agent-protocol.md): JSON lines on the agent's stdout, one message each.
public enum AgentProtocol {
    /// The `"v"` every message carries.
    public static let version = 1
    /// Doom runs at 35 tics per second; event timestamps are `tic / ticsPerSecond` seconds from the episode start.
    public static let ticsPerSecond = 35.0
}

/// The `"type"` of a protocol message.
public enum AgentMessageType: String, Sendable, Hashable, Codable, CaseIterable {
    case hello
    case episodeStart = "episode_start"
    case step
    case episodeEnd = "episode_end"
    case trainProgress = "train_progress"
    case checkpoint
    case artifact
    case error
    case done
}
