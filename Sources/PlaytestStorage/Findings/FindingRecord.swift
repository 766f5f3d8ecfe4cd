import Foundation
import PlaytestCore
import SQLKit

/// One tracked finding (`findings`): a defect of one map (its name and level, across versions), its place, its triage,
/// and when and how often it was seen.
public struct FindingRecord: Sendable, Hashable {
    /// `fnd_…`.
    public var id: String
    /// The WAD's name in the library, which its versions share.
    public var mapName: String
    /// The map inside it (`MAP01`).
    public var level: String
    public var kind: String
    public var severity: FindingSeverity
    public var source: FindingObservation.Source
    public var message: String
    public var x: Double
    public var y: Double
    public var sector: Int?
    public var line: Int?
    public var status: FindingStatus
    /// Who set the status last (a user id), and when.
    public var statusBy: String?
    public var statusAt: Date?
    public var firstSeen: Date
    public var lastSeen: Date
    public var occurrences: Int
    /// The upload it was last seen in, and for play findings the run, episode and tic.
    public var lastMapID: String
    public var lastRunID: String?
    public var lastEpisode: Int?
    public var lastTic: Int?

    static let columns = """
        id, map_name, level, kind, severity, source, message, x, y, sector, line, status, status_by, status_at, first_seen,
        last_seen, occurrences, last_map_id, last_run_id, last_episode, last_tic
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        mapName = try row.decode(column: "map_name", as: String.self)
        level = try row.decode(column: "level", as: String.self)
        kind = try row.decode(column: "kind", as: String.self)
        severity = FindingSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .info
        source = FindingObservation.Source(rawValue: try row.decode(column: "source", as: String.self)) ?? .map
        message = try row.decode(column: "message", as: String.self)
        x = try row.decode(column: "x", as: Double.self)
        y = try row.decode(column: "y", as: Double.self)
        sector = try row.decode(column: "sector", as: Int?.self)
        line = try row.decode(column: "line", as: Int?.self)
        status = FindingStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        statusBy = try row.decode(column: "status_by", as: String?.self)
        statusAt = try row.decode(column: "status_at", as: Date?.self)
        firstSeen = try row.decode(column: "first_seen", as: Date.self)
        lastSeen = try row.decode(column: "last_seen", as: Date.self)
        occurrences = try row.decode(column: "occurrences", as: Int.self)
        lastMapID = try row.decode(column: "last_map_id", as: String.self)
        lastRunID = try row.decode(column: "last_run_id", as: String?.self)
        lastEpisode = try row.decode(column: "last_episode", as: Int?.self)
        lastTic = try row.decode(column: "last_tic", as: Int?.self)
    }
}

/// One time a finding was seen (`finding_sightings`).
public struct FindingSighting: Sendable, Hashable {
    public var mapID: String
    public var runID: String?
    public var episode: Int?
    public var tic: Int?
    public var x: Double
    public var y: Double
    public var seenAt: Date
}

/// A comment on a finding (`finding_comments`).
public struct FindingComment: Sendable, Hashable {
    public var id: String
    public var userID: String?
    public var author: String
    public var body: String
    public var createdAt: Date
}

/// What a list of findings is narrowed to; nil fields do not narrow.
public struct FindingFilter: Sendable, Hashable {
    public var mapName: String?
    public var level: String?
    /// Findings seen in this run.
    public var runID: String?
    public var kind: String?
    public var severity: FindingSeverity?
    public var status: FindingStatus?
    /// A case-insensitive substring of the message or the kind.
    public var text: String?

    public init(mapName: String? = nil, level: String? = nil, runID: String? = nil, kind: String? = nil,
                severity: FindingSeverity? = nil, status: FindingStatus? = nil, text: String? = nil) {
        self.mapName = mapName
        self.level = level
        self.runID = runID
        self.kind = kind
        self.severity = severity
        self.status = status
        self.text = text
    }
}
