import Foundation
import PlaytestCore
import PlaytestStorage

/// A finding as the bugs API and the bug dashboard show it.
public struct FindingView: Sendable, Hashable, Encodable {
    /// Whether the newest upload of the map still shows it: `seen`, `not_seen` (a regression view: fixed, or hidden),
    /// or `untested` (a play finding, and no test has run on the newest upload yet).
    public enum Latest: String, Sendable, Hashable, Encodable {
        case seen
        case notSeen = "not_seen"
        case untested
    }

    public var record: FindingRecord
    public var latest: Latest
    /// The email of whoever set the status last.
    public var statusByEmail: String?

    /// The map page of the upload it was last seen in.
    public var mapURL: String { "/maps/\(record.lastMapID)?map=\(record.level)" }

    enum CodingKeys: String, CodingKey {
        case id, kind, severity, source, message, x, y, sector, line, status, occurrences, latest, level
        case mapName = "map_name", statusBy = "status_by", statusAt = "status_at", firstSeen = "first_seen", lastSeen = "last_seen"
        case mapID = "map_id", runID = "run_id", episode, tic, mapURL = "map_url"
    }

    /// In the order of the keys' bytes, as the API's JSON writes them: an object written in order is not sorted again
    /// (a page of the bug list is 50 of these).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.lastEpisode, forKey: .episode)
        try c.encodeTimestamp(record.firstSeen, forKey: .firstSeen)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.kind, forKey: .kind)
        try c.encodeTimestamp(record.lastSeen, forKey: .lastSeen)
        try c.encode(latest.rawValue, forKey: .latest)
        try c.encode(record.level, forKey: .level)
        try c.encode(record.line, forKey: .line)
        try c.encode(record.lastMapID, forKey: .mapID)
        try c.encode(record.mapName, forKey: .mapName)
        try c.encode(mapURL, forKey: .mapURL)
        try c.encode(record.message, forKey: .message)
        try c.encode(record.occurrences, forKey: .occurrences)
        try c.encode(record.lastRunID, forKey: .runID)
        try c.encode(record.sector, forKey: .sector)
        try c.encode(record.severity.rawValue, forKey: .severity)
        try c.encode(record.source.rawValue, forKey: .source)
        try c.encode(record.status.rawValue, forKey: .status)
        try c.encodeTimestamp(record.statusAt, forKey: .statusAt)
        try c.encode(statusByEmail, forKey: .statusBy)
        try c.encode(record.lastTic, forKey: .tic)
        try c.encode(record.x, forKey: .x)
        try c.encode(record.y, forKey: .y)
    }
}

/// A page of findings with the filtered set's counts.
public struct FindingList: Sendable, Hashable, Encodable {
    public var findings: [FindingView]
    public var total: Int
    /// False for a text search with more matches than it counts (`FindingStore.textCountLimit`): `total` and the
    /// counts per kind and severity are then of the first matches found, and there are more.
    public var countsExact: Bool
    public var offset: Int
    public var limit: Int
    public var byKind: [String: Int]
    public var bySeverity: [String: Int]

    enum CodingKeys: String, CodingKey {
        case findings, total, countsExact = "counts_exact", offset, limit, byKind = "by_kind", bySeverity = "by_severity"
    }
}

/// One finding with every sighting's evidence and the comments.
public struct FindingDetail: Sendable, Hashable, Encodable {
    public struct Sighting: Sendable, Hashable, Encodable {
        public var sighting: FindingSighting
        /// The picture of the moment: the replay's colour frame at the sighting's tic when the run's evidence has one,
        /// else the agent's screenshot nearest it (within 2 s); and the episode's demo.
        public var screenshotURL: String?
        public var demoURL: String?
        /// The run's page playing the episode's video from that moment, when the episode has a video.
        public var videoURL: String?

        enum CodingKeys: String, CodingKey {
            case mapID = "map_id", runID = "run_id", episode, tic, x, y, seenAt = "seen_at", screenshotURL = "screenshot_url", demoURL = "demo_url"
            case videoURL = "video_url"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sighting.mapID, forKey: .mapID)
            try c.encode(sighting.runID, forKey: .runID)
            try c.encode(sighting.episode, forKey: .episode)
            try c.encode(sighting.tic, forKey: .tic)
            try c.encode(sighting.x, forKey: .x)
            try c.encode(sighting.y, forKey: .y)
            try c.encodeTimestamp(sighting.seenAt, forKey: .seenAt)
            try c.encode(screenshotURL, forKey: .screenshotURL)
            try c.encode(demoURL, forKey: .demoURL)
            try c.encode(videoURL, forKey: .videoURL)
        }
    }

    public struct Comment: Sendable, Hashable, Encodable {
        public var comment: FindingComment

        enum CodingKeys: String, CodingKey { case id, author, body, createdAt = "created_at" }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(comment.id, forKey: .id)
            try c.encode(comment.author, forKey: .author)
            try c.encode(comment.body, forKey: .body)
            try c.encodeTimestamp(comment.createdAt, forKey: .createdAt)
        }
    }

    public var finding: FindingView
    public var sightings: [Sighting]
    public var comments: [Comment]
}
