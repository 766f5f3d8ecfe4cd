import Foundation
import PlaytestCore
import PlaytestStorage

/// A WAD in the library as clients see it (`GET /maps`, `/maps/{id}`, the upload's answer, the pages).
public struct MapView: Codable, Sendable, Hashable {
    /// Lower-case UUID.
    public var id: String
    public var name: String
    public var filename: String
    public var fileURL: String
    public var uploadedAt: Date?
    public var sizeBytes: Int64
    public var sha256: String
    /// The formats of the maps inside, joined: "doom", "hexen", "udmf" (or several, comma-separated).
    public var format: String
    public var wadKind: String
    public var builtin: Bool
    /// For a VizDoom scenario: its `.cfg` name.
    public var scenario: String?
    public var maps: [MapSummary]
    public var findings: FindingCounts
    public var trainCount: Int
    public var testCount: Int
    /// True when an upload was identical to a file already in the library; nil elsewhere.
    public var duplicate: Bool?
    /// Who uploaded it (`users.id`) and their e-mail address; nil for built-in maps.
    public var createdBy: String?
    public var owner: String?

    enum CodingKeys: String, CodingKey {
        case id, name, filename, format, builtin, scenario, maps, findings, duplicate, sha256
        case fileURL = "file_url"
        case uploadedAt = "uploaded_at"
        case sizeBytes = "size_bytes"
        case wadKind = "wad_kind"
        case trainCount = "train_count"
        case testCount = "test_count"
        case createdBy = "created_by"
        case owner
    }

    init(_ record: MapRecord, counts: (training: Int, testing: Int)?, duplicate: Bool? = nil) throws {
        let id = try record.requireID().uuidString.lowercased()
        let summaries = record.mapSummaries
        self.id = id
        name = record.name
        filename = record.filename
        fileURL = "/api/v1/maps/\(id)/file"
        uploadedAt = record.uploadedAt
        sizeBytes = record.sizeBytes
        sha256 = record.sha256
        format = record.formats
        wadKind = record.wadKind
        builtin = record.builtin
        scenario = record.scenario
        maps = summaries
        findings = Self.total(summaries.map(\.findings))
        trainCount = counts?.training ?? 0
        testCount = counts?.testing ?? 0
        self.duplicate = duplicate
        createdBy = record.createdBy
    }

    static func total(_ counts: [FindingCounts]) -> FindingCounts {
        var total = FindingCounts([])
        for count in counts {
            total.error += count.error
            total.warning += count.warning
            total.info += count.info
        }
        return total
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(filename, forKey: .filename)
        try c.encode(fileURL, forKey: .fileURL)
        try c.encodeTimestamp(uploadedAt, forKey: .uploadedAt)
        try c.encode(sizeBytes, forKey: .sizeBytes)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(format, forKey: .format)
        try c.encode(wadKind, forKey: .wadKind)
        try c.encode(builtin, forKey: .builtin)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(maps, forKey: .maps)
        try c.encode(findings, forKey: .findings)
        try c.encode(trainCount, forKey: .trainCount)
        try c.encode(testCount, forKey: .testCount)
        try c.encodeIfPresent(duplicate, forKey: .duplicate)
        try c.encodeIfPresent(createdBy, forKey: .createdBy)
        try c.encodeIfPresent(owner, forKey: .owner)
    }
}

/// One page of the library.
public struct MapList: Codable, Sendable {
    public var maps: [MapView]
    public var total: Int
    public var offset: Int
    public var limit: Int
}

/// One map inside a WAD: its summary (geometry stats) and every finding.
public struct MapDetail: Codable, Sendable {
    public var wadID: String
    public var summary: MapSummary
    public var findings: [Finding]
    public var renderURL: String
    /// Can the map be finished: the planner's verdict and route (`?skill=1…5`).
    public var progressionURL: String

    enum CodingKeys: String, CodingKey {
        case summary, findings
        case wadID = "wad_id"
        case renderURL = "render_url"
        case progressionURL = "progression_url"
    }
}
