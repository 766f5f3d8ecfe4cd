import Foundation
import PlaytestCore
import PlaytestStorage

/// The answer to a start request (`POST /testing/start`, `/training/start`: 202), in seed 001's shape: the run's id
/// under `test_id` or `training_id`, `status: "started"`, the map, what it plays, and `task_id` (its queue job).
/// The run itself is `pending` until a worker claims it; `status_url` follows it.
public struct RunStarted: Encodable, Sendable {
    public var kind: RunKind
    public var id: String
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var agent: String
    /// Testing: the checkpoint it plays; training: the one it resumes from.
    public var checkpoint: String?
    /// Episodes (testing) or max iterations (training).
    public var target: Int
    public var startedAt: Date?
    public var taskID: String?

    init(_ run: RunRecord) throws {
        kind = run.kind
        id = try run.requireID()
        mapID = run.$map.id.uuidString.lowercased()
        mapName = try run.requireLibraryMap().name
        map = run.mapName
        agent = run.agent
        checkpoint = run.checkpoint
        target = run.target
        startedAt = run.startedAt ?? run.createdAt ?? Date()
        taskID = run.jobID
    }

    /// Where the run's status is.
    public var statusURL: String { "/api/v1/\(kind.rawValue)/\(id)/status" }

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case trainingID = "training_id"
        case status, agent, checkpoint, episodes
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case maxIterations = "max_iterations"
        case resumeFrom = "resume_from"
        case startedAt = "started_at"
        case taskID = "task_id"
        case statusURL = "status_url"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: kind == .testing ? .testID : .trainingID)
        try c.encode("started", forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        switch kind {
        case .testing:
            try c.encode(agent, forKey: .agent)
            try c.encode(checkpoint, forKey: .checkpoint)
            try c.encode(target, forKey: .episodes)
        case .training:
            try c.encode(target, forKey: .maxIterations)
            try c.encode(checkpoint, forKey: .resumeFrom)
        }
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encode(taskID, forKey: .taskID)
        try c.encode(statusURL, forKey: .statusURL)
    }
}

/// The answer to a stop request: `stopped_count`, the ids under `test_ids` or `training_ids`, and a message.
public struct RunsStopped: Encodable, Sendable {
    public var kind: RunKind
    public var ids: [String]

    public var message: String {
        ids.isEmpty ? "no active \(kind.noun) to stop" : "stopping \(ids.count) \(kind.noun)\(ids.count == 1 ? "" : "s")"
    }

    enum CodingKeys: String, CodingKey {
        case stoppedCount = "stopped_count"
        case testIDs = "test_ids"
        case trainingIDs = "training_ids"
        case message
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ids.count, forKey: .stoppedCount)
        try c.encode(ids, forKey: kind == .testing ? .testIDs : .trainingIDs)
        try c.encode(message, forKey: .message)
    }
}
