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
        /// States a run never leaves.
        public static let final: [Status] = [.completed, .failed, .stopped]

        public var isFinal: Bool { Self.final.contains(self) }
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
    /// The resolved `RunPlan` as JSON (what the worker plays).
    @Field(key: "plan") public var plan: String
    /// Episodes to play (testing) or the iteration to stop at (training).
    @Field(key: "target") public var target: Int
    /// Episodes finished (testing) or the last reported iteration (training).
    @Field(key: "progress") public var progress: Int
    /// JSON: the aggregate metrics (testing) or the training summary, once known.
    @OptionalField(key: "summary") public var summary: String?
    /// The last lines the agent wrote to stderr, kept when a run ends.
    @OptionalField(key: "stderr_tail") public var stderrTail: String?
    @OptionalField(key: "job_id") public var jobID: String?
    @OptionalField(key: "error") public var error: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "updated_at") public var updatedAt: Date?

    public init() {}

    public init(
        id: String, kind: Kind, status: Status = .pending, mapID: UUID, mapName: String, agent: String,
        checkpoint: String? = nil, params: String = "{}", plan: RunPlan, target: Int, progress: Int = 0,
        jobID: String? = nil
    ) throws {
        self.id = id
        self.kind = kind
        self.status = status
        self.$map.id = mapID
        self.mapName = mapName
        self.agent = agent
        self.checkpoint = checkpoint
        self.params = params
        self.plan = try plan.json()
        self.target = target
        self.progress = progress
        self.jobID = jobID
    }

    /// The stored plan, parsed.
    public func decodedPlan() throws -> RunPlan {
        try RunPlan(json: plan)
    }

    /// True once the run is completed, failed or stopped.
    public var isFinished: Bool { status.isFinal }
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
