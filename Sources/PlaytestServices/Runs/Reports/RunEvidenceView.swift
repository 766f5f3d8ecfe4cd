import Foundation
import PlaytestCore
import PlaytestStorage

/// A test run's evidence per episode (`GET /api/v1/runs/{id}/evidence`): the video, the colour screenshots, the
/// replay's check, and the moments a video player marks on its timeline (events and findings, with their place).
public struct RunEvidenceList: Encodable, Sendable {
    public var runID: String
    /// Whether the run's plan asked for evidence (`params.evidence`, on with the demos by default).
    public var requested: Bool
    public var episodes: [EpisodeEvidenceView]

    enum CodingKeys: String, CodingKey {
        case episodes, requested
        case runID = "run_id"
    }
}

public struct EpisodeEvidenceView: Encodable, Sendable {
    /// `made`, `missing` (see `reason`) or `pending` (the job has not reached it yet).
    public var state: String
    public var episode: Int
    public var reason: String?
    public var video: ArtifactView?
    public var frames: [ArtifactView]
    /// The replay agreed with the telemetry up to this tic (the video ends there).
    public var verifiedToTic: Int?
    public var checkedTics: Int?
    /// Where the replay left the recorded path, when it did.
    public var driftTic: Int?
    public var markers: [Marker]

    public struct Marker: Encodable, Sendable, Hashable {
        /// `event` or `finding`.
        public var source: String
        /// The event type or the finding kind.
        public var kind: String
        public var label: String
        public var tic: Int
        public var seconds: Double
        public var x: Double
        public var y: Double
        public var findingID: String?
        /// The colour screenshot of that moment, when one was made.
        public var frameURL: String?

        enum CodingKeys: String, CodingKey {
            case source, kind, label, tic, seconds, x, y
            case findingID = "finding_id"
            case frameURL = "frame_url"
        }
    }

    enum CodingKeys: String, CodingKey {
        case state, episode, reason, video, frames, markers
        case verifiedToTic = "verified_to_tic"
        case checkedTics = "checked_tics"
        case driftTic = "drift_tic"
    }

    /// Events worth a marker: those worth a colour screenshot, and kills (not every pickup and hit).
    static let markedEvents = RunEvidence.picturedEvents.union([.kill])

    init(episode: EpisodeMetrics, stored: EpisodeEvidence?, artifacts: [ArtifactView],
         sightings: [(finding: FindingRecord, sighting: FindingSighting)]) {
        self.episode = episode.episodeNum
        let summary = stored.flatMap { try? PlaytestJSON.decoder().decode(EvidenceSummary.self, from: Data($0.summary.utf8)) }
        state = stored == nil ? "pending" : (stored?.missing != nil && summary?.missing != false ? "missing" : "made")
        reason = stored?.missing
        video = artifacts.first { $0.kind == "video" }
        frames = artifacts.filter { $0.kind == "frame" }
        verifiedToTic = summary?.verifiedToTic
        checkedTics = summary?.checkedTics
        driftTic = summary?.drift?.tic
        let frames = self.frames
        func frame(at tic: Int) -> String? { frames.first { $0.tic >= tic && $0.tic - tic <= 8 }?.url }
        var markers = episode.events.filter { Self.markedEvents.contains($0.type) }.map { event in
            Marker(source: "event", kind: event.type.rawValue, label: event.type.rawValue.replacingOccurrences(of: "_", with: " "),
                   tic: event.frame, seconds: event.timestamp, x: event.x, y: event.y, findingID: nil, frameURL: frame(at: event.frame))
        }
        for (finding, sighting) in sightings {
            guard let tic = sighting.tic else { continue }
            markers.append(Marker(source: "finding", kind: finding.kind, label: finding.message, tic: tic,
                                  seconds: Double(tic) / AgentProtocol.ticsPerSecond, x: sighting.x, y: sighting.y,
                                  findingID: finding.id, frameURL: frame(at: tic)))
        }
        self.markers = markers.sorted { ($0.tic, $0.source) < ($1.tic, $1.source) }
    }
}
