import Foundation
import PlaytestCore
import PlaytestStorage

/// Stores a test run's output as the agent writes it: steps in batches, each finished episode with its
/// metrics, log and derived events, screenshots and demos in the blob store, and live progress.
public struct TestRunRecorder: RunRecorder {
    let run: PlayingRun
    var telemetry: TestRunTelemetry
    /// The agent's live state (seed 000), written with each flush.
    var agent: AgentSession
    private var lastAgentState: ContinuousClock.Instant?
    /// Episodes finished by earlier attempts; this agent's episode `i` (from 0) is the run's `episodeOffset + i`, so
    /// the run counts its episodes from 1.
    let episodeOffset: Int
    let totalEpisodes: Int
    private(set) var finished: Int
    private(set) var steps: Int
    private var pendingSteps: [StepRow] = []
    /// Finished episodes and files waiting for the next flush, which writes them after the steps they
    /// follow (so a stored episode always has its steps: a crash replays unflushed episodes whole).
    private var pendingEpisodes: [(metrics: EpisodeMetrics, log: EpisodeLog)] = []
    private var pendingArtifacts: [ArtifactMessage] = []
    /// The files of earlier writes being stored, one batch after the other. They are stored off the path that
    /// reads the agent: a file's fsync held up the steps behind it and the live progress (p99 over 250 ms).
    private var fileUploads: Task<Void, any Error>?
    private var storedEpisodes: Int
    private var lastFlush = ContinuousClock.now
    private var lastLive: ContinuousClock.Instant?
    private var latestEpisode: String?

    init(run: PlayingRun, telemetry: TestRunTelemetry, agent: AgentSession, finished: Int, stepsBefore: Int) {
        self.run = run
        self.telemetry = telemetry
        self.agent = agent
        self.episodeOffset = finished + 1
        self.totalEpisodes = run.target
        self.finished = finished
        self.storedEpisodes = finished
        self.steps = stepsBefore
    }

    var options: RecordingOptions { run.options }
    var store: TestTelemetryStore { run.tests }

    public mutating func record(_ raw: AgentMessage) async throws {
        let message = raw.renumberingEpisodes(by: episodeOffset)
        let update = telemetry.ingest(message)
        switch message {
        case .step(let sample):
            agent.observe(sample, coverage: telemetry.current?.coverage.coverage, stuckNow: telemetry.current?.stuckDetector.currentSpot)
            agent.observe(stuck: update.events)
            pendingSteps.append(StepRow(sample))
            steps += 1
            let now = ContinuousClock.now
            if pendingSteps.count >= options.stepBatchSize || now - lastFlush >= options.stepFlushInterval {
                try await write()
            }
            if lastLive.map({ now - $0 >= options.liveInterval }) ?? true {
                lastLive = now
                await publishProgress(episode: sample.episode, kills: sample.killcount, health: sample.health)
            }
        case .episodeEnd(let end):
            guard end.reason != .stopped, let metrics = update.finishedEpisode, let log = update.finishedLog else { break }
            agent.observe(stuck: update.events)
            agent.observe(end)
            pendingEpisodes.append((metrics, log))
            finished += 1
            if ContinuousClock.now - lastFlush >= options.stepFlushInterval { try await write() }
            latestEpisode = try? PlaytestJSON.string(TestStatus.LatestEpisode(metrics, finishedAt: Date()))
            lastLive = ContinuousClock.now
            await publishProgress(episode: end.episode, kills: end.killcount, health: end.health)
        case .artifact(let artifact):
            pendingArtifacts.append(artifact)
        case .hello, .episodeStart, .trainProgress, .checkpoint, .error, .done:
            break
        }
    }

    /// Writes everything buffered and waits until every file is stored; a failed upload fails the attempt here.
    public mutating func flush() async throws {
        try await write()
        let uploads = fileUploads
        fileUploads = nil
        try await uploads?.value
    }

    /// Writes the buffered steps, then the episodes they finished and the run's progress, and starts storing the files.
    private mutating func write() async throws {
        lastFlush = ContinuousClock.now
        let (retry, store, run) = (options.outageRetry, store, run)
        if !pendingSteps.isEmpty {
            let batch = pendingSteps
            pendingSteps.removeAll(keepingCapacity: true)
            try await retry.run("storing steps", logger: run.logger) { try await store.insertSteps(runID: run.id, batch) }
        }
        if !pendingEpisodes.isEmpty {
            let episodes = pendingEpisodes
            try await retry.run("storing episodes", logger: run.logger) { try await store.saveEpisodes(runID: run.id, episodes) }
            storedEpisodes += pendingEpisodes.count
            pendingEpisodes.removeAll()
            let progress = storedEpisodes
            try await retry.run("recording the run's progress", logger: run.logger) {
                try await run.playback.runs.setProgress(id: run.id, progress: progress)
            }
        }
        if !agent.isIdle {
            let now = ContinuousClock.now
            let publish = lastAgentState.map { now - $0 >= options.liveInterval } ?? true
            if publish { lastAgentState = now }
            try await run.playback.progress.flush(&agent, publishState: publish)
        }
        if !pendingArtifacts.isEmpty {
            let artifacts = pendingArtifacts
            pendingArtifacts.removeAll()
            let (previous, run) = (fileUploads, run)
            fileUploads = Task {
                try await previous?.value
                try await Self.upload(artifacts, of: run)
            }
        }
    }

    private func publishProgress(episode: Int, kills: Int, health: Int) async {
        let percent = totalEpisodes > 0 ? Double(finished) / Double(totalEpisodes) * 100 : 0
        let snapshot = run.snapshot { snapshot in
            snapshot.currentEpisode = episode
            snapshot.totalEpisodes = totalEpisodes
            snapshot.steps = steps
            snapshot.latestEpisode = latestEpisode
        }
        await run.updateLive(snapshot)
        await run.publish(.testingProgress(TestingProgress(
            testID: run.id, episode: episode, kills: kills, health: health, timestamp: snapshot.updatedAt, totalEpisodes: totalEpisodes,
            episodesCompleted: finished, progressPercent: percent, steps: steps)))
    }

    /// Uploads screenshots and demos under `runs/<id>/…` (named by the stored episode number, so a
    /// rescued run's files never collide) in one batch, then records them.
    private static func upload(_ artifacts: [ArtifactMessage], of run: PlayingRun) async throws {
        var uploads: [BlobUpload] = []
        var infos: [ArtifactInfo] = []
        for artifact in artifacts {
            guard FileManager.default.fileExists(atPath: artifact.path) else {
                run.logger.warning("the agent reported a file that is not there", metadata: ["path": "\(artifact.path)"])
                continue
            }
            let episode = String(format: "%04d", artifact.episode)
            let key: String
            let contentType: String
            switch artifact.kind {
            case .screenshot:
                key = "runs/\(run.id)/screenshots/episode_\(episode)_tic_\(String(format: "%06d", artifact.tic))_\(artifact.reason.rawValue).png"
                contentType = "image/png"
            case .demo:
                key = "runs/\(run.id)/demos/episode_\(episode).lmp"
                contentType = "application/x-doom-demo"
            }
            uploads.append(BlobUpload(key: key, path: artifact.path, contentType: contentType, finished: true))
            infos.append(ArtifactInfo(
                id: RunIDs.make("art"), runID: run.id, kind: artifact.kind.rawValue, episode: artifact.episode, tic: artifact.tic,
                reason: artifact.reason.rawValue, blobKey: key, bytes: 0, contentType: contentType, createdAt: Date(),
                replay: artifact.replay))
        }
        guard !uploads.isEmpty else { return }
        do {
            let stored = try await run.options.outageRetry.run("storing the run's files", logger: run.logger) {
                try await run.blobs.put(files: uploads)
            }
            for index in infos.indices { infos[index].bytes = stored[index].size }
            try await run.options.outageRetry.run("recording the run's files", logger: run.logger) {
                try await run.tests.addArtifacts(infos)
            }
        } catch {
            throw RunFilesLost(files: uploads.map(\.key), retried: run.options.outageRetry.window, cause: error, replayable: false)
        }
        // A milestone earned before its screenshot was stored gets it now.
        try await run.playback.progress.linkScreenshots(runID: run.id)
    }
}
