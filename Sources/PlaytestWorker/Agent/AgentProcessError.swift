import PlaytestCore

/// Why reading an agent process failed.
public enum AgentProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The process could not be started.
    case launchFailed(String)
    /// Line `line` of the agent's stdout is not a valid protocol message.
    case protocolViolation(line: Int, error: AgentProtocolError)

    public var description: String {
        switch self {
        case .launchFailed(let message):
            "the agent runtime could not start: \(message)"
        case .protocolViolation(let line, let error):
            "agent protocol error on stdout line \(line): \(error.message)"
        }
    }
}
