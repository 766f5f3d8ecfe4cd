import PlaytestCore

/// Stores what one kind of run produces while its agent plays (``TestRunRecorder``, ``TrainingRunRecorder``).
public protocol RunRecorder: Sendable {
    /// Handles one message (store, upload, publish). A thrown error fails the attempt (retryably).
    mutating func record(_ message: AgentMessage) async throws
    /// Writes whatever is still buffered; called once the agent's output has ended, whatever happened.
    mutating func flush() async throws
}
