import FluentKit
import Foundation
import PlaytestCore

/// A row of `runs`: a test run or a training run of an agent on a map.
public final class RunRecord: Model, @unchecked Sendable {
    public static let schema = "runs"

    /// `test_…` or `train_…`.
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "kind") public var kind: RunKind
    @Field(key: "status") public var status: RunStatus
    /// The library entry (the WAD); its row is loaded only when asked for (``libraryMap``).
    @Parent(key: "map_id") public var map: MapRecord
    /// The map inside the WAD that the run plays (`MAP01`).
    @Field(key: "map_name") public var mapName: String
    @Field(key: "agent") public var agent: String
    @OptionalField(key: "checkpoint") public var checkpoint: String?
    /// JSON object of the run's parameters as requested.
    @Field(key: "params") public var params: String
    /// The resolved plan as JSON (`RunPlan` in PlaytestServices: what the worker plays).
    @Field(key: "plan") public var plan: String
    /// Episodes to play (testing) or the iteration to stop at (training).
    @Field(key: "target") public var target: Int
    /// Episodes finished (testing) or the last reported iteration (training).
    @Field(key: "progress") public var progress: Int
    /// JSON written when the run completes: the aggregate metrics (testing) or the training summary; the reports
    /// serve a finished run's figures from it.
    @OptionalField(key: "summary") public var summary: String?
    /// The last lines the agent wrote to stderr, kept when a run ends.
    @OptionalField(key: "stderr_tail") public var stderrTail: String?
    @OptionalField(key: "job_id") public var jobID: String?
    @OptionalField(key: "error") public var error: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "updated_at") public var updatedAt: Date?
    /// The user who started it (`users.id`); nil for local CLI runs and for a deleted user's runs.
    @OptionalField(key: "created_by") public var createdBy: String?

    public init() {}

    /// The library entry's row, which the query must have loaded (`RunStore.run(id:withMap:)`, `RunStore.list`).
    public func requireLibraryMap() throws -> MapRecord {
        guard let map = $map.value else { throw FluentError.relationNotLoaded(name: "map") }
        return map
    }

    public init(
        id: String, kind: RunKind, status: RunStatus = .pending, mapID: UUID, mapName: String, agent: String,
        checkpoint: String? = nil, params: String = "{}", plan: String, target: Int, progress: Int = 0,
        jobID: String? = nil, createdBy: String? = nil
    ) {
        self.createdBy = createdBy
        self.id = id
        self.kind = kind
        self.status = status
        self.$map.id = mapID
        self.mapName = mapName
        self.agent = agent
        self.checkpoint = checkpoint
        self.params = params
        self.plan = plan
        self.target = target
        self.progress = progress
        self.jobID = jobID
    }
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
