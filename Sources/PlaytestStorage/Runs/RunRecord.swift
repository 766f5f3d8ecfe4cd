import FluentKit
import Foundation

/// A test run or a training run of an agent on a map. The runs feature fills in the rest; the map
/// library reads the counts and refuses to delete a map with active runs.
public final class RunRecord: Model, @unchecked Sendable {
    public static let schema = "runs"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case training, testing
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, running, stopping, stopped, completed, failed

        /// Runs in these states hold on to their map.
        public static let active: [Status] = [.pending, .running, .stopping]
    }

    /// `test_…` or `train_…`.
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "kind") public var kind: Kind
    @Field(key: "status") public var status: Status
    @Parent(key: "map_id") public var map: MapRecord
    @Field(key: "map_name") public var mapName: String
    @Field(key: "agent") public var agent: String
    @OptionalField(key: "checkpoint") public var checkpoint: String?
    /// JSON object of the run's parameters as requested.
    @Field(key: "params") public var params: String
    @OptionalField(key: "job_id") public var jobID: String?
    @OptionalField(key: "error") public var error: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "completed_at") public var completedAt: Date?

    public init() {}
}

struct CreateRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RunRecord.schema)
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("map_id", .uuid, .required, .references(MapRecord.schema, .id, onDelete: .restrict))
            .field("map_name", .string, .required)
            .field("agent", .string, .required)
            .field("checkpoint", .string)
            .field("params", .string, .required)
            .field("job_id", .string)
            .field("error", .string)
            .field("created_at", .datetime)
            .field("started_at", .datetime)
            .field("completed_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RunRecord.schema).delete()
    }
}
