import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// What the run handlers share: the services, the queue (to tell a stop request from a shutdown), the agent runtime
/// and the tuning knobs.
public struct RunHandlerContext: Sendable {
    public struct Options: Sendable {
        /// How long the agent gets to stop after SIGTERM before SIGKILL.
        public var stopGrace: Duration
        /// Where attempts' temporary folders go (default: the system's temporary folder).
        public var workspaceParent: String?
        /// Each attempt's soft and hard time limits, per run kind.
        public var timeLimits: RunTimeLimits

        public init(stopGrace: Duration = .seconds(5), workspaceParent: String? = nil, timeLimits: RunTimeLimits = .standard) {
            self.stopGrace = stopGrace
            self.workspaceParent = workspaceParent
            self.timeLimits = timeLimits
        }
    }

    public let services: Services
    public let runtime: AgentRuntime
    public let options: Options
    var queue: JobQueue { services.engines.queue }
    var blobs: any BlobStore { services.engines.blobs }

    public init(services: Services, runtime: AgentRuntime, options: Options = Options()) {
        self.services = services
        self.runtime = runtime
        self.options = options
    }
}

/// Plays the runs of one kind: `run.test` (``TestRunPlay``) or `run.train` (``TrainingRunPlay``).
public struct RunJobHandler: JobHandler {
    public let runKind: RunKind
    let context: RunHandlerContext

    public init(_ kind: RunKind, context: RunHandlerContext) {
        self.runKind = kind
        self.context = context
    }

    public var kind: String { RunJob.kind(for: runKind) }

    public func run(_ job: Job, context jobContext: JobContext) async throws {
        let context = self.context
        let runKind = self.runKind
        try await RunAttempt.shielded(grace: context.options.stopGrace) { latch in
            guard let attempt = try await RunAttempt.begin(job: job, context: context, latch: latch, logger: jobContext.logger) else { return }
            do {
                switch runKind {
                case .testing: try await TestRunPlay.play(attempt)
                case .training: try await TrainingRunPlay.play(attempt)
                }
            } catch where !(error is CancellationError) && (error is PermanentJobError || job.attempt >= job.maxAttempts) {
                // The queue discards the job now: a run the play left running (its WAD could not be fetched, say)
                // would stay so for good.
                await attempt.failUnlessEnded(error)
                throw error
            }
        }
    }

    /// The handlers of both run kinds. Made once as a worker starts, so it first removes what killed workers left in
    /// the workspace folder.
    public static func all(context: RunHandlerContext) -> [any JobHandler] {
        let removed = RunWorkspace.removeAbandoned(parent: context.options.workspaceParent)
        if !removed.isEmpty {
            Logger(label: "playtest.worker").info("removed the workspaces of workers that are gone", metadata: ["folders": "\(removed.count)"])
        }
        return RunKind.allCases.map { RunJobHandler($0, context: context) }
    }

    /// The handlers on the services, with the agent runtime the configuration names. Throws ``AgentRuntimeError`` when
    /// the interpreter or the agent package is missing.
    public static func all(services: Services, options: RunHandlerContext.Options = .init()) throws -> [any JobHandler] {
        let configuration = services.engines.configuration
        let runtime = try AgentRuntime.locate(pythonPath: configuration.pythonPath, agentDirectory: configuration.agentDirectory)
        return all(context: RunHandlerContext(services: services, runtime: runtime, options: options))
    }
}
