import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// `run.evidence`: a completed test run's video and colour screenshots (``RunEvidence``, docs/evidence.md). Each
/// episode's demo is replayed by `python -m playtest_agent evidence` in a process of its own with a time limit; an
/// episode whose replay fails, drifts or times out is stored as missing with the reason, and the rest go on. A retried
/// job makes only the episodes not stored yet.
public struct EvidenceJobHandler: JobHandler {
    let context: RunHandlerContext
    let limit: ReplayLimit

    /// How long one episode's replay may take before its process group is killed and its evidence marked missing.
    public struct ReplayLimit: Sendable {
        /// Per second of game time: the measured cost is 0.2-0.4 s (docs/evidence.md), on a busy machine several times that.
        public var perGameSecond: Double
        public var minimum: Duration

        public init(perGameSecond: Double = 2, minimum: Duration = .seconds(60)) {
            self.perGameSecond = perGameSecond
            self.minimum = minimum
        }

        func of(gameSeconds: Double) -> Duration { max(minimum, .seconds(gameSeconds * perGameSecond)) }
    }

    public init(context: RunHandlerContext, limit: ReplayLimit = ReplayLimit()) {
        self.context = context
        self.limit = limit
    }

    /// On the services, with the agent runtime the configuration names (throws like ``RunJobHandler/all(services:options:)``).
    public init(services: Services, options: RunHandlerContext.Options = .init()) throws {
        let configuration = services.engines.configuration
        let runtime = try AgentRuntime.locate(pythonPath: configuration.pythonPath, agentDirectory: configuration.agentDirectory)
        self.init(context: RunHandlerContext(services: services, runtime: runtime, options: options))
    }

    public var kind: String { RunEvidence.jobKind }

    public func run(_ job: Job, context jobContext: JobContext) async throws {
        let payload: RunJob.Payload
        do {
            payload = try job.decodePayload(RunJob.Payload.self)
        } catch {
            throw PermanentJobError("job \(job.id) has no readable run_id payload: \(error)")
        }
        var logger = jobContext.logger
        logger[metadataKey: "run"] = "\(payload.runID)"
        let evidence = context.services.playback.evidence
        guard let work = try await evidence.work(runID: payload.runID) else {
            logger.info("no evidence to make: the run is gone or did not complete")
            return
        }
        if !work.episodes.isEmpty { try await makeEpisodes(work, logger: logger) }
        try await evidence.judgeIdleMonsters(work, logger: logger)
        // Last, so that it sees the colour frames; the writer stores any failure of the LLM as the summary's error.
        try await evidence.prose.write(runID: work.runID, logger: logger)
    }

    private func makeEpisodes(_ work: RunEvidence.Work, logger: Logger) async throws {
        let evidence = context.services.playback.evidence
        var plan = work.plan
        // The replay plays no agent: the demo drives the player. Any agent's config loads without its route or checkpoint.
        plan.agent = "random"
        plan.checkpoint = nil
        let workspace = try await RunWorkspace.prepare(plan: plan, map: work.map, blobs: context.blobs, parent: context.options.workspaceParent,
                                                       retry: context.services.playback.options.outageRetry, logger: logger)
        defer { workspace.remove() }
        try workspace.writeConfig(plan: plan, map: work.map, assignment: .evaluate(episodes: 1), checkpoint: nil)
        for episode in work.episodes {
            try Task.checkCancellation()
            let (summary, json) = try await make(episode, workspace: workspace, logger: logger)
            try Task.checkCancellation()  // a replay killed by a shutdown is not missing evidence: the next attempt makes it
            try await evidence.record(work, episode: episode.number, summary: summary, summaryJSON: json, logger: logger)
            logger.info("episode evidence", metadata: [
                "episode": "\(episode.number)", "missing": "\(summary.missingReason ?? "no")",
                "frames": "\(summary.screenshots?.count ?? 0)", "wall_s": "\(summary.wallS ?? 0)",
            ])
        }
    }

    /// Replays one episode; what could not be made is a summary with `missing`, never an error.
    func make(_ episode: RunEvidence.Episode, workspace: RunWorkspace, logger: Logger) async throws -> (EvidenceSummary, String) {
        guard let demoKey = episode.demoKey else {
            return Self.missing("the episode has no demo (the run was started with record_demos false, or its demo was lost)")
        }
        let folder = workspace.directory + "/e\(episode.number)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let demo = folder + "/demo.lmp"
        let telemetry = folder + "/telemetry.jsonl"
        do {
            _ = try await context.services.playback.options.outageRetry.run("fetching the episode's demo", logger: logger) {
                try await context.blobs.download(demoKey, toFile: demo)
            }
        } catch BlobError.notFound {
            return Self.missing("the episode's demo \(demoKey) is no longer in the blob store")
        }
        try Self.telemetryLines(episode).write(toFile: telemetry, atomically: true, encoding: .utf8)
        let limit = self.limit.of(gameSeconds: episode.gameSeconds)
        let result = try await AgentCommandRun.run(runtime: context.runtime, arguments: [
            "evidence", "--config", workspace.configPath, "--telemetry", telemetry, "--episode", String(episode.number),
            "--demo", demo, "--out", folder, "--tics", episode.tics.map(String.init).joined(separator: ","), "--scan",
        ], timeout: limit, niceness: 10)
        if result.timedOut { return Self.missing("the replay took longer than its limit of \(limit) and was stopped") }
        let line = result.stdout.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init)
        guard let line, let summary = try? PlaytestJSON.decoder().decode(EvidenceSummary.self, from: Data(line.utf8)) else {
            let tail = result.stderrTail.split(separator: "\n").suffix(3).joined(separator: " | ")
            return Self.missing("the evidence command ended with \(result.exit) and printed no summary: \(tail)")
        }
        return (summary, line)
    }

    static func missing(_ reason: String) -> (EvidenceSummary, String) {
        let summary = EvidenceSummary.missing(reason)
        let json = (try? PlaytestJSON.data(summary)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"missing":true}"#
        return (summary, json)
    }

    /// The episode's positions as the agent's `step` messages, which the command checks the replay against.
    static func telemetryLines(_ episode: RunEvidence.Episode) -> String {
        episode.positions.map { #"{"type":"step","episode":\#(episode.number),"tic":\#($0.tic),"x":\#($0.x),"y":\#($0.y)}"# }
            .joined(separator: "\n") + "\n"
    }
}
