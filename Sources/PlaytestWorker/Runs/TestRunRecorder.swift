import Foundation
import PlaytestCore
import PlaytestStorage

/// Stores a test run's output as the agent writes it: steps in batches, each finished episode with its
/// metrics, log and derived events, screenshots and demos in the blob store, and live progress.
struct TestRunRecorder: RunRecorder {
    let attempt: RunAttempt
    var telemetry: TestRunTelemetry
    /// Episodes finished by earlier attempts; this agent's episode `i` is stored as `episodeOffset + i`.
    let episodeOffset: Int
    let totalEpisodes: Int
    private(set) var finished: Int
    private(set) var steps: Int
    private var pendingSteps: [StepRow] = []
    /// Finished episodes and files waiting for the next flush, which writes them after the steps they
    /// follow (so a stored episode always has its steps: a crash replays unflushed episodes whole).
    private var pendingEpisodes: [(metrics: EpisodeMetrics, log: EpisodeLog)] = []
    private var pendingArtifacts: [ArtifactMessage] = []
    private var storedEpisodes: Int
    private var lastFlush = ContinuousClock.now
    private var lastLive: ContinuousClock.Instant?
    private var currentEpisode: Int
    private var lastSample: StepSample?
    private var latestEpisode: String?
    private let startedAt = Date()

    init(attempt: RunAttempt, telemetry: TestRunTelemetry, episodeOffset: Int, totalEpisodes: Int, stepsBefore: Int) {
        self.attempt = attempt
        self.telemetry = telemetry
        self.episodeOffset = episodeOffset
        self.totalEpisodes = totalEpisodes
        self.finished = episodeOffset
        self.storedEpisodes = episodeOffset
        self.steps = stepsBefore
        self.currentEpisode = episodeOffset
    }

    var options: RunServices.Options { attempt.services.options }
    var store: RunTelemetryStore { attempt.services.telemetry }

    mutating func record(_ raw: AgentMessage) async throws {
        let message = raw.renumberingEpisodes(by: episodeOffset)
        let update = telemetry.ingest(message)
        switch message {
        case .step(let sample):
            pendingSteps.append(StepRow(sample))
            steps += 1
            lastSample = sample
            let now = ContinuousClock.now
            if pendingSteps.count >= options.stepBatchSize || now - lastFlush >= options.stepFlushInterval {
                try await flush()
            }
            if lastLive.map({ now - $0 >= options.liveInterval }) ?? true {
                lastLive = now
                await publishProgress(episode: sample.episode, kills: sample.killcount, health: sample.health)
            }
        case .episodeStart(let start):
            currentEpisode = start.episode
            lastSample = nil
        case .episodeEnd(let end):
            guard end.reason != .stopped, let metrics = update.finishedEpisode, let log = update.finishedLog else { break }
            pendingEpisodes.append((metrics, log))
            finished += 1
            if ContinuousClock.now - lastFlush >= options.stepFlushInterval { try await flush() }
            latestEpisode = try? TestStatus.LatestEpisode(
                episodeNum: metrics.episodeNum, kills: metrics.kills, healthRemaining: metrics.finalHealth,
                durationSeconds: metrics.durationSeconds, timestamp: Date()).json()
            lastLive = ContinuousClock.now
            await publishProgress(episode: end.episode, kills: end.killcount, health: end.health)
        case .artifact(let artifact):
            pendingArtifacts.append(artifact)
        case .hello, .trainProgress, .checkpoint, .error, .done:
            break
        }
    }

    /// Writes the buffered steps, then the episodes they finished, the run's progress and the files.
    mutating func flush() async throws {
        lastFlush = ContinuousClock.now
        if !pendingSteps.isEmpty {
            let batch = pendingSteps
            pendingSteps.removeAll(keepingCapacity: true)
            try await store.insertSteps(runID: attempt.runID, batch)
        }
        if !pendingEpisodes.isEmpty {
            try await store.saveEpisodes(runID: attempt.runID, pendingEpisodes)
            storedEpisodes += pendingEpisodes.count
            pendingEpisodes.removeAll()
            try await attempt.services.runs.setProgress(id: attempt.runID, progress: storedEpisodes, summary: nil)
        }
        if !pendingArtifacts.isEmpty {
            let artifacts = pendingArtifacts
            pendingArtifacts.removeAll()
            try await upload(artifacts)
        }
    }

    private func publishProgress(episode: Int, kills: Int, health: Int) async {
        let now = Date()
        let percent = totalEpisodes > 0 ? Double(finished) / Double(totalEpisodes) * 100 : 0
        await attempt.updateLive(LiveRunSnapshot(
            status: RunRecord.Status.running.rawValue, currentEpisode: episode, totalEpisodes: totalEpisodes, steps: steps,
            latestEpisode: latestEpisode, startedAt: attempt.run.startedAt ?? startedAt, updatedAt: now))
        await attempt.publish(.testingProgress(TestingProgress(
            testID: attempt.runID, episode: episode, kills: kills, health: health, timestamp: now, totalEpisodes: totalEpisodes,
            episodesCompleted: finished, progressPercent: percent, steps: steps)))
    }

    /// Uploads screenshots and demos under `runs/<id>/…` (named by the stored episode number, so a
    /// rescued run's files never collide) in one batch, then records them.
    private func upload(_ artifacts: [ArtifactMessage]) async throws {
        var uploads: [BlobUpload] = []
        var infos: [ArtifactInfo] = []
        for artifact in artifacts {
            guard FileManager.default.fileExists(atPath: artifact.path) else {
                attempt.logger.warning("the agent reported a file that is not there", metadata: ["path": "\(artifact.path)"])
                continue
            }
            let episode = String(format: "%04d", artifact.episode)
            let key: String
            let contentType: String
            switch artifact.kind {
            case .screenshot:
                key = "runs/\(attempt.runID)/screenshots/episode_\(episode)_tic_\(String(format: "%06d", artifact.tic))_\(artifact.reason.rawValue).png"
                contentType = "image/png"
            case .demo:
                key = "runs/\(attempt.runID)/demos/episode_\(episode).lmp"
                contentType = "application/x-doom-demo"
            }
            uploads.append(BlobUpload(key: key, path: artifact.path, contentType: contentType))
            infos.append(ArtifactInfo(
                id: RunIDs.make("art"), runID: attempt.runID, kind: artifact.kind.rawValue, episode: artifact.episode, tic: artifact.tic,
                reason: artifact.reason.rawValue, blobKey: key, bytes: 0, contentType: contentType, createdAt: Date()))
        }
        guard !uploads.isEmpty else { return }
        let stored = try await attempt.services.blobs.put(files: uploads)
        for index in infos.indices { infos[index].bytes = stored[index].size }
        try await store.addArtifacts(infos)
    }

    static func json(_ aggregate: AggregateMetrics) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(aggregate), as: UTF8.self)
    }
}
