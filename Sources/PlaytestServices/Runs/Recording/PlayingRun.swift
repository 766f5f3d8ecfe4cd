import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// A run a worker is playing: what it plays, and the stores, live state and lifecycle its output goes to. Built by
/// ``RunPlayback/begin(runID:logger:)`` once per attempt, with the plan decoded once.
public struct PlayingRun: Sendable {
    public let id: String
    public let kind: RunKind
    public let plan: RunPlan
    public let map: PlayableMap
    /// Episodes to play (testing) or the iteration to stop at (training).
    public let target: Int
    public let startedAt: Date
    public let logger: Logger
    let playback: RunPlayback

    var tests: TestTelemetryStore { playback.tests }
    var trainings: TrainingTelemetryStore { playback.trainings }
    var blobs: any BlobStore { playback.blobs }
    var options: RecordingOptions { playback.options }

    /// What `testing_progress` and the live hash say about the run besides its progress.
    func snapshot(_ update: (inout LiveRunSnapshot) -> Void) -> LiveRunSnapshot {
        var snapshot = LiveRunSnapshot(
            status: .running, mapID: map.id, mapName: map.name, map: plan.mapName, checkpoint: plan.checkpoint ?? plan.resumeFrom,
            startedAt: startedAt, updatedAt: Date())
        update(&snapshot)
        return snapshot
    }

    /// Writes the live hash; live state may be lost (docs/runs.md), so a failure is only logged.
    func updateLive(_ snapshot: LiveRunSnapshot) async {
        do {
            try await playback.live.update(runID: id, snapshot)
        } catch {
            logger.warning("updating the live state failed", metadata: ["error": "\(error)"])
        }
    }

    func publish(_ message: RunLiveMessage) async {
        await playback.lifecycle.publish(id, message)
    }
}

/// The map of a playing run: its WAD in the blob store.
public struct PlayableMap: Sendable, Hashable {
    /// Lower-case UUID of the library entry.
    public var id: String
    /// The library entry's name.
    public var name: String
    public var blobKey: String
    public var sha256: String
    /// `IWAD` or `PWAD`.
    public var wadKind: String
    /// A built-in scenario map's `.cfg` name.
    public var scenario: String?

    init(_ record: MapRecord) throws {
        id = try record.requireID().uuidString.lowercased()
        name = record.name
        blobKey = record.blobKey
        sha256 = record.sha256
        wadKind = record.wadKind
        scenario = record.scenario
    }

    public var isIWAD: Bool { wadKind.uppercased() == "IWAD" }
}

/// How often a playing run's output is written and shown.
public struct RecordingOptions: Sendable {
    /// Steps are written in batches of this many...
    public var stepBatchSize: Int
    /// ...or at least this often while the agent plays.
    public var stepFlushInterval: Duration
    /// Live `testing_progress` while playing, at most once per this interval.
    public var liveInterval: Duration
    /// What a playing run writes (steps, episodes, progress, training metrics, files) is retried this long while the
    /// database or the blob store is out: the agent waits, its output backing up in the pipe, and plays on after a
    /// short outage instead of losing the attempt. Past it the attempt fails; a test run whose files are lost fails
    /// for good, saying which.
    public var outageRetry: OutageRetry

    public init(stepBatchSize: Int = 500, stepFlushInterval: Duration = .milliseconds(250), liveInterval: Duration = .milliseconds(500),
                outageRetry: OutageRetry = OutageRetry(window: .seconds(180))) {
        self.stepBatchSize = stepBatchSize
        self.stepFlushInterval = stepFlushInterval
        self.liveInterval = liveInterval
        self.outageRetry = outageRetry
    }
}
