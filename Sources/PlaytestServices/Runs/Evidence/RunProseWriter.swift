import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// The optional LLM summary of a test run (docs/evidence.md): after the run's evidence, the run's figures, its rule-based
/// narrative, its episodes and findings, and up to three pictures (colour frames of its findings and deaths first) are
/// sent to an OpenAI-compatible chat API (`LLM_BASE_URL`, `LLM_MODEL`, `LLM_API_KEY`). The prompt (pictures named by
/// their artifact) and the answer are stored, or the error; a failure or a time-out never fails anything.
public struct RunProseWriter: Sendable {
    let client: ChatCompletions?
    let reports: RunReports
    let tests: TestTelemetryStore
    let blobs: any BlobStore

    /// Pictures sent at most (each a 640x480 PNG of about 80 kB).
    static let pictures = 3

    static let system = """
        You are an experienced Doom level designer reviewing an automated play-test of a map. Write for the map's \
        designer, in at most 150 words of plain prose: what happened, whether the map can be finished, where players die \
        or get stuck, and the findings worth fixing first. Use only the facts given; say so when they are thin. The \
        pictures are moments of the play-test.
        """

    init(engines: PlaytestEngines, reports: RunReports) {
        client = engines.configuration.llm.map { ChatCompletions(settings: $0) }
        self.reports = reports
        tests = TestTelemetryStore(sql: engines.sql)
        blobs = engines.blobs
    }

    public var isEnabled: Bool { client != nil }

    /// Asks for the run's prose and stores the prompt with the answer or the error. Throws only when storing fails.
    public func write(runID: String, logger: Logger) async throws {
        guard let client else { return }
        let report = try await reports.testRunReport(id: runID)
        let narrative = try await reports.evidenceAndNarrative(of: report).narrative
        let results = report.results
        let chosen = Self.choose(try await tests.artifacts(runID: runID), episodes: results.episodes)
        var sent: [ChatCompletions.Part] = [.text(Self.facts(narrative, results))]
        var stored = sent
        for picture in chosen {
            let caption = ChatCompletions.Part.text("Episode \(picture.episode) at \(String(format: "%.1f", Double(picture.tic) / 35)) s:")
            guard let bytes = try? await blobs.get(picture.blobKey) else { continue }
            sent += [caption, .png(Data(buffer: bytes))]
            stored += [caption, .text("[picture: artifact \(picture.id), \(picture.kind) at tic \(picture.tic)]")]
        }
        let prompt = String(decoding: try client.body(system: Self.system, user: stored), as: UTF8.self)
        let started = ContinuousClock.now
        var answer: String?, failure: String?
        do {
            answer = try await client.complete(body: try client.body(system: Self.system, user: sent))
        } catch {
            failure = String(describing: error)
            logger.warning("the LLM summary failed; the run keeps its rule-based summary", metadata: ["error": "\(failure ?? "")"])
        }
        let elapsed = ContinuousClock.now - started
        try await tests.recordProse(RunProse(
            runID: runID, model: client.settings.model, prompt: prompt, answer: answer, error: failure,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, createdAt: Date()))
    }

    /// The run's facts as text: the narrative, each episode's ending, and its top findings.
    static func facts(_ narrative: RunNarrative, _ results: TestResults) -> String {
        var lines = [narrative.headline] + narrative.lines
        lines.append("Episodes:")
        for episode in results.episodes {
            lines.append("- episode \(episode.episodeNum): \(String(format: "%.0f", episode.durationSeconds)) s, ended by "
                + (episode.endReason?.rawValue ?? "unknown") + (episode.exitReached ? " at the exit" : "")
                + ", \(episode.kills) kills, \(episode.healthLost) health lost"
                + (episode.coverage.map { String(format: ", %.0f%% of the map seen", $0 * 100) } ?? ""))
        }
        if !narrative.topFindings.isEmpty {
            lines.append("Findings:")
            for finding in narrative.topFindings {
                lines.append("- \(finding.severity) \(finding.kind): \(finding.message) (\(finding.sightings)× in this run)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Up to ``pictures`` pictures of the moments that matter: colour frames before grey screenshots, and among each,
    /// those at a death or stuck spot first.
    static func choose(_ artifacts: [ArtifactInfo], episodes: [EpisodeMetrics]) -> [ArtifactInfo] {
        var moments = Set<String>()
        for episode in episodes {
            for event in episode.events where event.type == .death || event.type == .stuck { moments.insert("\(episode.episodeNum):\(event.frame)") }
        }
        func atMoment(_ artifact: ArtifactInfo) -> Bool {
            (0...8).contains { moments.contains("\(artifact.episode):\(artifact.tic - $0)") }
        }
        let pictures = artifacts.filter { $0.kind == "frame" || $0.kind == "screenshot" }
        return Array(pictures.sorted {
            ($0.kind == "frame" ? 0 : 1, atMoment($0) ? 0 : 1, $0.episode, $0.tic) < ($1.kind == "frame" ? 0 : 1, atMoment($1) ? 0 : 1, $1.episode, $1.tic)
        }.prefix(Self.pictures))
    }
}
