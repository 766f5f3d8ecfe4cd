import Foundation
import PlaytestCore
import PlaytestStorage
import Vapor

/// A WAD in the library, as the API shows it.
struct MapResponse: Content {
    var id: UUID
    var name: String
    var filename: String
    var fileURL: String
    var uploadedAt: Date?
    var sizeBytes: Int64
    var sha256: String
    /// The formats of the maps inside, joined: "doom", "hexen", "udmf" (or several, comma-separated).
    var format: String
    var wadKind: String
    var builtin: Bool
    var scenario: String?
    var maps: [MapSummary]
    var findings: FindingCounts
    var trainCount: Int
    var testCount: Int
    /// True when this upload was identical to a file already in the library.
    var duplicate: Bool?

    enum CodingKeys: String, CodingKey {
        case id, name, filename, format, builtin, scenario, maps, findings, duplicate, sha256
        case fileURL = "file_url"
        case uploadedAt = "uploaded_at"
        case sizeBytes = "size_bytes"
        case wadKind = "wad_kind"
        case trainCount = "train_count"
        case testCount = "test_count"
    }

    init(_ record: MapRecord, counts: (training: Int, testing: Int)?, duplicate: Bool? = nil) throws {
        let id = try record.requireID()
        let summaries = record.mapSummaries
        self.id = id
        name = record.name
        filename = record.filename
        fileURL = "/api/v1/maps/\(id.uuidString.lowercased())/file"
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
    }
}

extension MapResponse {
    static func total(_ counts: [FindingCounts]) -> FindingCounts {
        var total = FindingCounts([])
        for count in counts {
            total.error += count.error
            total.warning += count.warning
            total.info += count.info
        }
        return total
    }
}

struct MapListResponse: Content {
    var maps: [MapResponse]
    var total: Int
    var offset: Int
    var limit: Int
}

/// One map inside a WAD: its summary (geometry stats) and every finding.
struct MapDetailResponse: Content {
    var wadID: UUID
    var summary: MapSummary
    var findings: [Finding]
    var renderURL: String

    enum CodingKeys: String, CodingKey {
        case summary, findings
        case wadID = "wad_id"
        case renderURL = "render_url"
    }
}
