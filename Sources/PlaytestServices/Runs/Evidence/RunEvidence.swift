import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Evidence people can look at (docs/evidence.md). The agent plays at 160x120 grey for speed; after a test run has
/// completed, a `run.evidence` job replays each episode's demo at 640x480 in colour with the HUD into a WebM video and
/// screenshots (`frame` artifacts) at the moments that matter: its events and the findings seen in it. The worker runs
/// the replay; this is what it reads before and stores after. A replay that fails leaves the run's results as they
/// are and the episode's evidence marked missing with the reason.
public struct RunEvidence: Sendable {
    public static let jobKind = "run.evidence"
    /// Evidence jobs have a queue of their own, served by a pool of their own in each worker process, so that a run
    /// never waits as `pending` behind the replays of earlier runs (each takes minutes of CPU for a long run).
    public static let queue = "evidence"
    /// Colour screenshots per episode at most (about 80 kB each): the findings' moments first, then the events'.
    public static let maxFrames = 40
    /// Events that get a colour screenshot; pickups and damage are too many to picture each.
    static let picturedEvents: Set<TelemetryEventType> = [.death, .stuck, .secretFound, .exitReached, .outOfBounds, .weaponPickup]

    let runs: RunStore
    let maps: MapStore
    let tests: TestTelemetryStore
    let findingStore: FindingStore
    let blobs: any BlobStore
    let queue: JobQueue
    let retry: OutageRetry
    let library: MapLibrary
    let playFindings: Findings
    /// The optional LLM summary, written after the episodes' evidence.
    public let prose: RunProseWriter

    init(engines: PlaytestEngines, retry: OutageRetry, library: MapLibrary, playFindings: Findings) {
        runs = RunStore(sql: engines.sql)
        maps = MapStore(sql: engines.sql)
        tests = TestTelemetryStore(sql: engines.sql)
        findingStore = FindingStore(sql: engines.sql)
        blobs = engines.blobs
        queue = engines.queue
        self.retry = retry
        self.library = library
        self.playFindings = playFindings
        prose = RunProseWriter(engines: engines, reports: RunReports(engines: engines))
    }

    /// The job that makes a run's evidence: one per run (offered again by a retried completion, kept once).
    static func job(runID: String) throws -> NewJob {
        var job = try NewJob(kind: jobKind, encoding: RunJob.Payload(runID: runID), queue: queue, maxAttempts: 3)
        job.id = "evidence:\(runID)"
        return job
    }

    /// Offers the run's evidence job when its plan asks for evidence or an LLM writes summaries; called as the run
    /// completes.
    func offer(_ run: PlayingRun) async throws {
        guard (run.plan.evidence == true && run.plan.recordDemos) || prose.isEnabled else { return }
        var job = try Self.job(runID: run.id)
        job.scheduledAt = queue.clock.nowMilliseconds() + 2000  // the run's completion commits first
        try await queue.enqueueOnce(job)
    }

    /// What a worker replays: the run's plan and map, and each episode whose evidence is not stored yet.
    public struct Work: Sendable {
        public var runID: String
        public var plan: RunPlan
        public var map: PlayableMap
        public var episodes: [Episode]
        /// The level's geometry, to place what the replay sees; nil for a map that can no longer be read.
        public var geometry: MapGeometry?
        /// The lines the map's checks flag with a drawing problem: a visual finding through one is confirmed.
        public var suspectLines: Set<Int>
    }

    public struct Episode: Sendable {
        public var number: Int
        /// The demo's blob; nil when the episode has none (its evidence is missing).
        public var demoKey: String?
        /// The telemetry's positions by tic: the replay is checked against them.
        public var positions: [(tic: Int, x: Double, y: Double)]
        /// Where colour screenshots are wanted.
        public var tics: [Int]
        /// The episode's length in game time.
        public var gameSeconds: Double
    }

    /// The episodes of a completed test run still without evidence; nil when there is nothing to make (the run was
    /// deleted, is not a test run, or ended otherwise). Throws ``EvidenceNotReady`` while the run is still completing
    /// (the job is offered just before): the queue tries again shortly.
    public func work(runID: String) async throws -> Work? {
        guard let run = try await runs.run(id: runID), run.kind == .testing,
              let record = try await maps.record(id: run.$map.id) else { return nil }
        guard run.status.isFinal else { throw EvidenceNotReady(runID: runID, status: run.status) }
        guard run.status == .completed else { return nil }
        let plan = try RunPlan(json: run.plan)
        let done = Set(try await tests.evidence(runID: runID).map(\.episode))
        let artifacts = try await tests.artifacts(runID: runID)
        let episodes = try await tests.episodes(runID: runID, withEvents: true)
        var sightings: [Int: [Int]] = [:]
        for (_, sighting) in try await findingStore.playSightings(runID: runID) {
            if let episode = sighting.episode, let tic = sighting.tic { sightings[episode, default: []].append(tic) }
        }
        var work: [Episode] = []
        for episode in episodes where plan.evidence == true && !done.contains(episode.episodeNum) {
            let number = episode.episodeNum
            let ofEpisode = artifacts.filter { $0.episode == number }
            let eventTics = episode.events.filter { Self.picturedEvents.contains($0.type) }.map(\.frame)
            let agentShots = ofEpisode.filter { $0.kind == "screenshot" }.map(\.tic)
            let steps = try await tests.steps(runID: runID, episode: number)
            work.append(Episode(
                number: number, demoKey: ofEpisode.first { $0.kind == "demo" }?.blobKey,
                positions: steps.map { ($0.tic, $0.x, $0.y) },
                tics: Self.pick(first: sightings[number] ?? [], then: eventTics + agentShots, limit: Self.maxFrames),
                gameSeconds: episode.durationSeconds))
        }
        // Also when every episode is done: a retried job still judges the run's still monsters on the map.
        let analysis = try? await library.analysis(mapID: try record.requireID(), mapName: plan.mapName)
        return Work(runID: runID, plan: plan, map: try PlayableMap(record), episodes: work, geometry: analysis?.geometry,
                    suspectLines: PlayFindings.suspectLines(analysis?.report.findings ?? []))
    }

    /// Up to `limit` distinct tics: `first` before `then`, in time order.
    static func pick(first: [Int], then: [Int], limit: Int) -> [Int] {
        var chosen: [Int] = []
        for tic in first + then where !chosen.contains(tic) && chosen.count < limit { chosen.append(tic) }
        return chosen.sorted()
    }

    /// Stores one episode's evidence: its video and colour screenshots into the blob store and as artifacts, then the
    /// row that says it is done (last, so an interrupted store is made again). `summaryJSON` is the agent's line as
    /// printed.
    public func record(_ work: Work, episode: Int, summary: EvidenceSummary, summaryJSON: String, logger: Logger) async throws {
        let runID = work.runID
        let number = String(format: "%04d", episode)
        var uploads: [BlobUpload] = []
        var infos: [ArtifactInfo] = []
        func add(kind: String, tic: Int, reason: String, key: String, path: String, contentType: String) {
            guard FileManager.default.fileExists(atPath: path) else { return }
            uploads.append(BlobUpload(key: key, path: path, contentType: contentType, finished: true))
            infos.append(ArtifactInfo(id: RunIDs.make("art"), runID: runID, kind: kind, episode: episode, tic: tic, reason: reason,
                                      blobKey: key, bytes: 0, contentType: contentType, createdAt: Date()))
        }
        if !summary.missing {
            if let video = summary.video, video.missing != true, let path = video.path {
                // The seed's `videos/{run_id}/episode_{n}` (WebM rather than MP4: a browser plays VP9 without licences).
                add(kind: "video", tic: video.endsAtTic ?? 0, reason: "episode", key: "videos/\(runID)/episode_\(number).webm",
                    path: path, contentType: "video/webm")
            }
            for shot in summary.screenshots ?? [] {
                add(kind: "frame", tic: shot.tic, reason: "evidence",
                    key: "runs/\(runID)/frames/episode_\(number)_tic_\(String(format: "%06d", shot.tic)).png", path: shot.path,
                    contentType: "image/png")
            }
        }
        if !uploads.isEmpty {
            let stored = try await retry.run("storing the run's evidence", logger: logger) { try await blobs.put(files: uploads) }
            for index in infos.indices { infos[index].bytes = stored[index].size }
            try await retry.run("recording the run's evidence", logger: logger) { try await tests.addArtifacts(infos) }
        }
        let seen = (summary.visual?.findings ?? []).compactMap { found in
            PlayFindings.visual(kind: found.kind, severity: found.severity, tic: found.tic, episode: episode,
                                player: MapPoint(x: found.player[0], y: found.player[1]), bearing: found.bearing,
                                at: found.at.map { MapPoint(x: $0[0], y: $0[1]) }, geometry: work.geometry, suspectLines: work.suspectLines)
        }
        try await retry.run("recording what the replay saw", logger: logger) {
            try await playFindings.recordSeen(seen, runID: runID, mapID: work.map.id, mapName: work.map.name, level: work.plan.mapName)
        }
        try await retry.run("recording the run's evidence", logger: logger) {
            try await tests.recordEvidence(EpisodeEvidence(runID: runID, episode: episode, missing: summary.missingReason,
                                                           summary: summaryJSON, createdAt: Date()))
        }
    }
}

extension RunEvidence {
    /// After the run's episodes were scanned: the monsters that never stirred in any of them, that no player can
    /// reach and that are sealed in (no way out, no opening at all: by the planner's graph at the run's skill, planned
    /// here only when some monster stayed still) become `idle_monster` findings. Reads every episode's stored summary,
    /// so a retried job judges the same.
    public func judgeIdleMonsters(_ work: Work, logger: Logger) async throws {
        guard let geometry = work.geometry else { return }
        let scans = try await tests.evidence(runID: work.runID).compactMap { row -> [PlayFindings.StillMonster]? in
            guard let summary = try? PlaytestJSON.decoder().decode(EvidenceSummary.self, from: Data(row.summary.utf8)),
                  let visual = summary.visual, visual.error == nil, let idle = visual.idleMonsters else { return nil }
            return idle.map { PlayFindings.StillMonster(name: $0.name, position: MapPoint(x: $0.x, y: $0.y)) }
        }
        guard !scans.isEmpty, !scans.contains(where: \.isEmpty) else { return }
        let skill = work.plan.skill
        let found = try await CPUWork.run {
            let regions = ProgressionRegions(ProgressionPlanner.plan(geometry: geometry, skill: skill))
            // A map the planner cannot model is not judged.
            guard regions.exitReachableFromStart else { return [FindingObservation]() }
            return PlayFindings.idleMonsters(episodes: scans, geometry: geometry) { point, sector in
                guard let sector else { return false }
                // A sector without a node is one the player cannot stand in; a monster that can walk out, or be shot
                // through an opening, is not sealed in.
                return regions.node(at: point, sector: sector).map(regions.isReachable) ?? false || !regions.monsterIsShutIn(sector: sector)
            }
        }
        try await retry.run("recording the monsters that never stirred", logger: logger) {
            try await playFindings.recordSeen(found, runID: work.runID, mapID: work.map.id, mapName: work.map.name, level: work.plan.mapName)
        }
    }
}

/// A run's evidence was asked for before the run had completed.
public struct EvidenceNotReady: Error, CustomStringConvertible {
    public var runID: String
    public var status: RunStatus
    public var description: String { "run \(runID) is \(status.rawValue), not completed yet; its evidence is made once it has" }
}
