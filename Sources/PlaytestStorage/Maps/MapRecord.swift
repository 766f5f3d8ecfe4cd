import FluentKit
import Foundation
import PlaytestCore

/// An uploaded (or built-in) WAD file in the map library. One row per distinct file (sha256).
public final class MapRecord: Model, @unchecked Sendable {
    public static let schema = "maps"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "filename") public var filename: String
    @Field(key: "blob_key") public var blobKey: String
    @Field(key: "size_bytes") public var sizeBytes: Int64
    @Field(key: "sha256") public var sha256: String
    /// "IWAD" or "PWAD".
    @Field(key: "wad_kind") public var wadKind: String
    /// Comma-separated map formats inside, e.g. "doom" or "udmf".
    @Field(key: "formats") public var formats: String
    /// JSON array of `MapSummary`, one per map inside the WAD.
    @Field(key: "summaries") public var summaries: String
    @Field(key: "builtin") public var builtin: Bool
    /// For VizDoom scenarios: the scenario's .cfg file name, which sets buttons, variables and rewards.
    @OptionalField(key: "scenario") public var scenario: String?
    @Timestamp(key: "uploaded_at", on: .create) public var uploadedAt: Date?
    /// The user who uploaded it (`users.id`); nil for built-in maps and for a deleted user's maps.
    @OptionalField(key: "created_by") public var createdBy: String?

    public init() {}

    public init(
        id: UUID = UUID(), name: String, filename: String, blobKey: String, sizeBytes: Int64, sha256: String,
        wadKind: String, formats: [String], summaries: [MapSummary], builtin: Bool, scenario: String?, createdBy: String? = nil
    ) throws {
        self.createdBy = createdBy
        self.id = id
        self.name = name
        self.filename = filename
        self.blobKey = blobKey
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.wadKind = wadKind
        self.formats = formats.joined(separator: ",")
        self.summaries = try StoredJSON.encode(summaries)
        self.builtin = builtin
        self.scenario = scenario
    }

    public var mapSummaries: [MapSummary] {
        (try? StoredJSON.decode([MapSummary].self, from: summaries, table: MapRecord.schema)) ?? []
    }

    public var formatList: [String] { formats.split(separator: ",").map(String.init) }
}

struct CreateMaps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MapRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("filename", .string, .required)
            .field("blob_key", .string, .required)
            .field("size_bytes", .int64, .required)
            .field("sha256", .string, .required)
            .field("wad_kind", .string, .required)
            .field("formats", .string, .required)
            .field("summaries", .string, .required)
            .field("builtin", .bool, .required)
            .field("scenario", .string)
            .field("uploaded_at", .datetime)
            .unique(on: "sha256")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MapRecord.schema).delete()
    }
}
