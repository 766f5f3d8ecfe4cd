import Logging
import PlaytestStorage

/// Runs one kind of job. `run` must return promptly when its task is cancelled (a stop request, a
/// lost lease, or shutdown): the worker cancels it and then records the outcome.
public protocol JobHandler: Sendable {
    var kind: String { get }
    /// A job kind that runs once per period across all workers (retention): every worker offers this period's job to
    /// the queue, which keeps one (``JobQueue/enqueuePeriodic(kind:period:)``). nil for jobs someone enqueues.
    var period: Duration? { get }
    func run(_ job: Job, context: JobContext) async throws
}

extension JobHandler {
    public var period: Duration? { nil }
}

public struct JobContext: Sendable {
    public let workerID: String
    public let logger: Logger
    public init(workerID: String, logger: Logger) {
        self.workerID = workerID
        self.logger = logger
    }
}

/// A failure that retrying cannot fix (bad payload, missing map): the job is discarded at once.
public struct PermanentJobError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
