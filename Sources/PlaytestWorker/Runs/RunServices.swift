import Foundation
import Logging
import PlaytestStorage

/// Everything the run handlers use: the stores of a run, the blob store, the map library, the queue
/// (to tell a stop request from a shutdown), the agent runtime and the tuning knobs.
public struct RunServices: Sendable {
    public struct Options: Sendable {
        /// How long the agent gets to stop after SIGTERM before SIGKILL.
        public var stopGrace: Duration
        /// Steps are written in batches of this many...
        public var stepBatchSize: Int
        /// ...or at least this often while the agent plays.
        public var stepFlushInterval: Duration
        /// Live `testing_progress` while playing, at most once per this interval.
        public var liveInterval: Duration
        /// Where attempts' temporary folders go (default: the system's temporary folder).
        public var workspaceParent: String?

        public init(
            stopGrace: Duration = .seconds(5), stepBatchSize: Int = 500, stepFlushInterval: Duration = .milliseconds(250),
            liveInterval: Duration = .milliseconds(500), workspaceParent: String? = nil
        ) {
            self.stopGrace = stopGrace
            self.stepBatchSize = stepBatchSize
            self.stepFlushInterval = stepFlushInterval
            self.liveInterval = liveInterval
            self.workspaceParent = workspaceParent
        }
    }

    public let runs: RunStore
    public let telemetry: RunTelemetryStore
    public let live: RunLiveState
    public let blobs: any BlobStore
    public let library: MapLibrary
    public let queue: JobQueue
    public let runtime: AgentRuntime
    public let options: Options

    public init(engines: PlaytestEngines, library: MapLibrary, runtime: AgentRuntime, options: Options = Options()) {
        self.runs = RunStore(sql: engines.sql)
        self.telemetry = RunTelemetryStore(sql: engines.sql)
        self.live = RunLiveState(live: engines.live)
        self.blobs = engines.blobs
        self.library = library
        self.queue = engines.queue
        self.runtime = runtime
        self.options = options
    }
}

/// The handlers of the run jobs (`run.test`, `run.train`), for a worker pool.
public enum RunHandlers {
    public static func all(services: RunServices) -> [any JobHandler] {
        [TestRunHandler(services: services), TrainingRunHandler(services: services)]
    }

    /// The handlers on the engines' stores, with the agent runtime the configuration names.
    /// Throws ``AgentRuntimeError`` when the interpreter or the agent package is missing.
    public static func all(engines: PlaytestEngines, library: MapLibrary, options: RunServices.Options = .init()) throws -> [any JobHandler] {
        let configuration = engines.configuration
        let runtime = try AgentRuntime.locate(pythonPath: configuration.pythonPath, agentDirectory: configuration.agentDirectory)
        return all(services: RunServices(engines: engines, library: library, runtime: runtime, options: options))
    }
}
