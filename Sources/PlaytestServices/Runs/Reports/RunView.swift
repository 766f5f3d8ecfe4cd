import Foundation
import PlaytestCore
import PlaytestStorage

/// One run of either kind as lists show it (`GET /runs`, `GET /runs/{id}`, the run pages).
public struct RunView: Encodable, Sendable, Hashable {
    public var id: String
    public var kind: RunKind
    public var status: RunStatus
    public var mapID: String
    /// The library entry's name.
    public var mapName: String
    /// The map inside the WAD (`MAP01`).
    public var map: String
    public var agent: String
    public var checkpoint: String?
    /// Episodes (test) or max iterations (training).
    public var target: Int
    /// Episodes finished (test) or the last iteration (training).
    public var progress: Int
    public var progressPercent: Double
    /// The request's `params` as given, and a completed run's headline figures (its aggregate metrics, or its final
    /// iteration and loss), as stored: decoded only when the view is encoded (a page of runs in HTML shows neither).
    var paramsJSON: String
    var summaryJSON: String?
    public var error: String?
    public var stderrTail: String?
    public var createdAt: Date?
    public var startedAt: Date?
    public var completedAt: Date?
    /// Who started it (`users.id`) and their e-mail address; nil for local CLI runs.
    public var createdBy: String?
    public var owner: String?
    public var links: [String: String]

    init(_ run: RunRecord) throws {
        let id = try run.requireID()
        self.id = id
        kind = run.kind
        status = run.status
        mapID = run.$map.id.uuidString.lowercased()
        mapName = try run.requireLibraryMap().name
        map = run.mapName
        agent = run.agent
        checkpoint = run.checkpoint
        target = run.target
        progress = run.progress
        progressPercent = run.target > 0 ? min(100, Double(run.progress) * 100 / Double(run.target)) : 0
        paramsJSON = run.params
        summaryJSON = run.summary
        error = run.error
        stderrTail = run.stderrTail
        createdAt = run.createdAt
        startedAt = run.startedAt
        completedAt = run.completedAt
        createdBy = run.createdBy
        let base = "/api/v1/\(kind.rawValue)/\(id)"
        links = ["status": base + "/status", "logs": base + "/logs", "artifacts": "/api/v1/runs/\(id)/artifacts", "page": "/runs/\(id)"]
        switch kind {
        case .testing: links["results"] = base + "/results"
        case .training: links["checkpoints"] = base + "/checkpoints"
        }
    }

    public var isActive: Bool { status.isActive }

    public var params: JSONValue? { try? StoredJSON.decode(JSONValue.self, from: paramsJSON, table: RunRecord.schema) }

    public func summary() throws -> JSONValue? {
        try summaryJSON.map { try StoredJSON.decode(JSONValue.self, from: $0, table: RunRecord.schema) }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, agent, checkpoint, target, progress, params, summary, error, links
        case mapID = "map_id"
        case mapName = "map_name"
        case map
        case progressPercent = "progress_percent"
        case stderrTail = "stderr_tail"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case createdBy = "created_by"
        case owner
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(mapID, forKey: .mapID)
        try c.encode(mapName, forKey: .mapName)
        try c.encode(map, forKey: .map)
        try c.encode(agent, forKey: .agent)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(target, forKey: .target)
        try c.encode(progress, forKey: .progress)
        try c.encode(progressPercent, forKey: .progressPercent)
        try c.encode(params, forKey: .params)
        try c.encode(try summary(), forKey: .summary)
        try c.encode(error, forKey: .error)
        try c.encode(stderrTail, forKey: .stderrTail)
        try c.encodeTimestamp(createdAt, forKey: .createdAt)
        try c.encodeTimestamp(startedAt, forKey: .startedAt)
        try c.encodeTimestamp(completedAt, forKey: .completedAt)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(owner, forKey: .owner)
        try c.encode(links, forKey: .links)
    }
}

/// One page of runs, newest first.
public struct RunList: Encodable, Sendable {
    public var runs: [RunView]
    public var total: Int
    public var offset: Int
    public var limit: Int
}
