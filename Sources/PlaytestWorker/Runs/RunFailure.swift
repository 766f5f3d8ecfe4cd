import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// Why an attempt of a run failed, and whether another attempt could succeed.
struct RunFailure: Error, CustomStringConvertible {
    var message: String
    /// True when retrying cannot help (a bad WAD, a bad config, a protocol mismatch).
    var permanent: Bool

    var description: String { message }

    /// Agent error codes that name something wrong with the run itself, not with this attempt.
    static let permanentCodes: Set<AgentErrorCode> = [
        .configInvalid, .wadNotFound, .wadInvalid, .mapNotFound, .scenarioNotFound, .checkpointInvalid, .invalidInput,
    ]
}

/// What one agent process did, as the worker saw it.
struct AgentRunResult: Sendable {
    var done: DoneMessage?
    var agentError: AgentErrorMessage?
    var protocolError: AgentProcessError?
    var storageError: (any Error)?
    var exit: AgentExit
    var stderrTail: String

    /// nil when the agent completed its assignment.
    func failure() -> RunFailure? {
        if let storageError {
            // Lost files another attempt cannot make again fail the run now (RunFilesLost says which).
            let permanent = (storageError as? RunFilesLost).map { !$0.replayable } ?? false
            return RunFailure(message: "storing the run's results failed: \(DatabaseError.describe(storageError))", permanent: permanent)
        }
        if let done, done.reason == .completed, exit.isSuccess, agentError == nil, protocolError == nil { return nil }
        if let agentError {
            return RunFailure(
                message: "the agent reported \(agentError.code.rawValue): \(agentError.message) (\(exit))",
                permanent: RunFailure.permanentCodes.contains(agentError.code))
        }
        if let protocolError {
            // A line cut off by a crash is the crash's fault; a bad line from a live agent is a mismatch.
            if case .signalled = exit {
                return RunFailure(message: "the agent was \(exit) (its last line was cut off: \(protocolError))", permanent: false)
            }
            return RunFailure(message: "\(protocolError) (\(exit))", permanent: true)
        }
        guard let done else {
            return RunFailure(message: "the agent ended without its final \"done\" message: \(exit)", permanent: false)
        }
        if done.reason == .stopped {
            return RunFailure(message: "the agent stopped before the run finished (it was sent SIGTERM or SIGINT from outside the worker; \(exit))", permanent: false)
        }
        return RunFailure(message: "the agent ended with \"done\" reason \(done.reason.rawValue) and \(exit)", permanent: false)
    }
}
