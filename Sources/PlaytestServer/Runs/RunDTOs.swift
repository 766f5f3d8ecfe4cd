import Foundation
import PlaytestStorage
import Vapor

/// `POST /testing/start` → 202.
struct TestStartResponse: Content {
    var testID: String
    var status: String
    var mapID: UUID
    var mapName: String
    var agent: String
    var checkpoint: String?
    var episodes: Int
    var startedAt: Date?
    var taskID: String?
    var statusURL: String

    init(_ run: RunRecord) throws {
        let id = try run.requireID()
        testID = id
        status = run.status.rawValue
        mapID = run.$map.id
        mapName = run.mapName
        agent = run.agent
        checkpoint = run.checkpoint
        episodes = run.target
        startedAt = run.startedAt ?? run.createdAt
        taskID = run.jobID
        statusURL = "/api/v1/testing/\(id)/status"
    }
}

/// `POST /training/start` → 202.
struct TrainingStartResponse: Content {
    var trainingID: String
    var status: String
    var mapID: UUID
    var mapName: String
    var maxIterations: Int
    var resumeFrom: String?
    var startedAt: Date?
    var taskID: String?
    var statusURL: String

    init(_ run: RunRecord) throws {
        let id = try run.requireID()
        trainingID = id
        status = run.status.rawValue
        mapID = run.$map.id
        mapName = run.mapName
        maxIterations = run.target
        resumeFrom = run.checkpoint
        startedAt = run.startedAt ?? run.createdAt
        taskID = run.jobID
        statusURL = "/api/v1/training/\(id)/status"
    }
}

/// `POST /testing/stop` and `/training/stop`. The ids key is `test_ids` or `training_ids` (CodingKeys below).
struct StopResponse: Content {
    var stoppedCount: Int
    var ids: [String]
    var kind: RunRecord.Kind
    var message: String

    enum CodingKeys: String, CodingKey { case stoppedCount = "stopped_count", testIDs = "test_ids", trainingIDs = "training_ids", message }

    init(kind: RunRecord.Kind, ids: [String]) {
        self.kind = kind
        self.ids = ids
        stoppedCount = ids.count
        let noun = kind == .testing ? "test" : "training"
        message = ids.isEmpty ? "no active \(noun) run to stop" : "stopping \(ids.count) \(noun) run\(ids.count == 1 ? "" : "s")"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stoppedCount = try container.decode(Int.self, forKey: .stoppedCount)
        message = try container.decode(String.self, forKey: .message)
        if let ids = try container.decodeIfPresent([String].self, forKey: .testIDs) {
            kind = .testing
            self.ids = ids
        } else {
            kind = .training
            ids = try container.decode([String].self, forKey: .trainingIDs)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stoppedCount, forKey: .stoppedCount)
        try container.encode(ids, forKey: kind == .testing ? .testIDs : .trainingIDs)
        try container.encode(message, forKey: .message)
    }
}

/// One run of either kind (`GET /runs`, `GET /runs/{id}`).
struct RunResponse: Content {
    var id: String
    var kind: String
    var status: String
    var mapID: UUID
    var mapName: String
    var agent: String
    var checkpoint: String?
    /// Episodes (test) or max iterations (training).
    var target: Int
    /// Episodes finished (test) or the last iteration (training).
    var progress: Int
    var progressPercent: Double
    var params: RequestValue?
    var error: String?
    var stderrTail: String?
    var createdAt: Date?
    var startedAt: Date?
    var completedAt: Date?
    var links: [String: String]

    init(_ run: RunRecord) throws {
        let id = try run.requireID()
        self.id = id
        kind = run.kind.rawValue
        status = run.status.rawValue
        mapID = run.$map.id
        mapName = run.mapName
        agent = run.agent
        checkpoint = run.checkpoint
        target = run.target
        progress = run.progress
        progressPercent = run.target > 0 ? min(100, Double(run.progress) * 100 / Double(run.target)) : 0
        params = try? JSONDecoder().decode(RequestValue.self, from: Data(run.params.utf8))
        error = run.error
        stderrTail = run.stderrTail
        createdAt = run.createdAt
        startedAt = run.startedAt
        completedAt = run.completedAt
        let base = run.kind == .testing ? "/api/v1/testing/\(id)" : "/api/v1/training/\(id)"
        links = ["status": base + "/status", "artifacts": "/api/v1/runs/\(id)/artifacts", "page": "/runs/\(id)"]
        if run.kind == .testing {
            links["results"] = base + "/results"
            links["logs"] = base + "/logs"
        } else {
            links["logs"] = base + "/logs"
            links["checkpoints"] = base + "/checkpoints"
        }
    }
}

struct RunListResponse: Content {
    var runs: [RunResponse]
    var total: Int
    var offset: Int
    var limit: Int
}

/// A screenshot or demo with its download link.
struct ArtifactResponse: Content {
    var id: String
    var runID: String
    var kind: String
    var episode: Int
    var tic: Int
    var reason: String
    var bytes: Int64
    var contentType: String
    var createdAt: Date
    var url: String

    init(_ info: ArtifactInfo) {
        id = info.id
        runID = info.runID
        kind = info.kind
        episode = info.episode
        tic = info.tic
        reason = info.reason
        bytes = info.bytes
        contentType = info.contentType
        createdAt = info.createdAt
        url = "/api/v1/artifacts/\(info.id)/file"
    }
}

struct ArtifactListResponse: Content {
    var runID: String
    var artifacts: [ArtifactResponse]
}

struct CheckpointResponse: Content {
    var id: String
    var trainingID: String?
    var iteration: Int
    var epsilon: Double
    var final: Bool
    var bytes: Int64
    var actionCombinations: String?
    var actionCount: Int?
    var scenario: String?
    var createdAt: Date
    var url: String

    init(_ info: CheckpointInfo) {
        id = info.id
        trainingID = info.runID
        iteration = info.iteration
        epsilon = info.epsilon
        final = info.final
        bytes = info.bytes
        actionCombinations = info.actionCombinations
        actionCount = info.actionCount
        scenario = info.scenario
        createdAt = info.createdAt
        url = "/api/v1/checkpoints/\(info.id)/file"
    }
}

struct CheckpointListResponse: Content {
    var trainingID: String
    var checkpoints: [CheckpointResponse]
}
