import Foundation
import PlaytestCore
import PlaytestStorage

/// A screenshot or demo of a run with its download link.
public struct ArtifactView: Encodable, Sendable, Hashable {
    public var id: String
    public var runID: String
    /// `screenshot` (the agent's, grey), `demo`, and from the replay: `video` (WebM) and `frame` (a 640x480 colour
    /// screenshot).
    public var kind: String
    /// From 1.
    public var episode: Int
    public var tic: Int
    /// Why it was taken (`tic`, `death`, `stuck`, `episode`).
    public var reason: String
    public var bytes: Int64
    public var contentType: String
    public var createdAt: Date
    public var url: String
    /// A demo of an episode that reached the exit: the replay check.
    public var replay: DemoReplayCheck?

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
        replay = info.replay
    }

    public var isScreenshot: Bool { kind == "screenshot" }
    /// A picture to show: the agent's grey screenshot or a colour frame of the replay.
    public var isPicture: Bool { kind == "screenshot" || kind == "frame" }

    /// The extension its file downloads with.
    var fileExtension: String {
        switch kind {
        case "screenshot", "frame": ".png"
        case "video": ".webm"
        default: ".lmp"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, episode, tic, reason, bytes, url, replay
        case runID = "run_id"
        case contentType = "content_type"
        case createdAt = "created_at"
    }
}

public struct ArtifactList: Encodable, Sendable {
    public var runID: String
    public var artifacts: [ArtifactView]

    enum CodingKeys: String, CodingKey {
        case artifacts
        case runID = "run_id"
    }
}

/// A stored training checkpoint with its download link; its id plays as a test run's `checkpoint` or a training
/// run's `resume_from`.
public struct CheckpointView: Encodable, Sendable, Hashable {
    public var id: String
    public var trainingID: String?
    public var iteration: Int
    public var epsilon: Double
    public var final: Bool
    public var bytes: Int64
    public var actionCombinations: String?
    public var actionCount: Int?
    public var scenario: String?
    public var createdAt: Date
    public var url: String

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

    enum CodingKeys: String, CodingKey {
        case id, iteration, epsilon, final, bytes, scenario, url
        case trainingID = "training_id"
        case actionCombinations = "action_combinations"
        case actionCount = "action_count"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(trainingID, forKey: .trainingID)
        try c.encode(iteration, forKey: .iteration)
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(final, forKey: .final)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(actionCombinations, forKey: .actionCombinations)
        try c.encode(actionCount, forKey: .actionCount)
        try c.encode(scenario, forKey: .scenario)
        try c.encodeTimestamp(createdAt, forKey: .createdAt)
        try c.encode(url, forKey: .url)
    }
}

public struct CheckpointList: Encodable, Sendable {
    public var trainingID: String
    public var checkpoints: [CheckpointView]

    enum CodingKeys: String, CodingKey {
        case checkpoints
        case trainingID = "training_id"
    }
}
