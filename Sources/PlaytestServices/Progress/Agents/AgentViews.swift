import Foundation
import PlaytestCore
import PlaytestStorage

/// A milestone as the API, the run page and the `milestone` live message show it.
public struct MilestoneView: Sendable, Hashable, Codable {
    public var runID: String
    public var milestone: String
    public var title: String
    public var badge: Bool
    public var agent: String
    public var episode: Int
    public var tic: Int
    public var x: Double
    public var y: Double
    public var awardedAt: Date
    /// The screenshot of that moment, once stored.
    public var screenshotURL: String?

    public init(_ record: MilestoneRecord) {
        runID = record.runID
        milestone = record.milestone.rawValue
        title = record.milestone.title
        badge = record.milestone.isBadge
        agent = record.agent
        episode = record.episode
        tic = record.tic
        x = record.x
        y = record.y
        awardedAt = record.awardedAt
        screenshotURL = record.screenshotArtifact.map { "/api/v1/artifacts/\($0)/file" }
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", milestone, title, badge, agent, episode, tic, x, y, awardedAt = "awarded_at", screenshotURL = "screenshot_url"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(milestone, forKey: .milestone)
        try c.encode(title, forKey: .title)
        try c.encode(badge, forKey: .badge)
        try c.encode(agent, forKey: .agent)
        try c.encode(episode, forKey: .episode)
        try c.encode(tic, forKey: .tic)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encodeTimestamp(awardedAt, forKey: .awardedAt)
        try c.encode(screenshotURL, forKey: .screenshotURL)
    }
}

/// What the run page's live agent view shows: where the agent is, its last decisions, its last 100 rewards and its
/// milestones; the `agent_state` live message and `GET /api/v1/runs/{id}/agent`.
public struct AgentLiveView: Sendable, Hashable, Codable {
    public var runID: String
    public var agent: String?
    public var episode: Int?
    public var x: Double?
    public var y: Double?
    public var angle: Double?
    public var health: Int?
    public var ammo: Int?
    /// The newest last.
    public var decisions: [AgentDecision]
    /// The newest last.
    public var rewards: [Double]
    public var milestones: [String]
    public var coverage: Double?
    public var confidence: Double?

    init(session: AgentSession, now: Date) {
        runID = session.runID
        agent = session.agent
        let sample = session.latest
        episode = sample?.episode
        x = sample?.x
        y = sample?.y
        angle = sample?.angle
        health = sample?.health
        ammo = sample?.ammo
        decisions = Array(session.recentDecisions.suffix(10))
        rewards = Array(session.recentRewards.suffix(AgentLiveKeys.Bounds.rewards))
        milestones = session.held.sorted().map(\.rawValue)
        coverage = session.coverage
        confidence = sample?.confidence
    }

    init(runID: String, state: [String: String], decisions: [AgentDecision], rewards: [Double], milestones: [String], progress: AgentProgressMetrics?) {
        self.runID = runID
        agent = state["agent"]
        episode = state["episode"].flatMap { Int($0) }
        let position = state["position"]?.split(separator: ",").compactMap { Double($0) } ?? []
        x = position.count == 2 ? position[0] : nil
        y = position.count == 2 ? position[1] : nil
        angle = state["angle"].flatMap { Double($0) }
        health = state["health"].flatMap { Int($0) }
        ammo = state["ammo"].flatMap { Int($0) }
        self.decisions = decisions
        self.rewards = rewards
        self.milestones = milestones
        coverage = progress?.coverage
        confidence = decisions.last?.confidence
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", agent, episode, x, y, angle, health, ammo, decisions, rewards, milestones, coverage, confidence
    }
}

/// One run's mean decision confidence: a point of an agent's trend (`GET /api/v1/agents/{name}/confidence`).
public struct ConfidenceRun: Sendable, Hashable, Codable {
    public var runID: String
    public var mapID: String
    public var finishedAt: Date
    public var episodes: Int
    public var confidenceMean: Double
    /// The runs' episodes' 10th percentiles, averaged.
    public var confidenceLow: Double?

    init(_ point: ConfidencePoint) {
        runID = point.runID
        mapID = point.mapID
        finishedAt = point.finishedAt
        episodes = point.episodes
        confidenceMean = point.confidenceMean
        confidenceLow = point.confidenceLow
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", mapID = "map_id", finishedAt = "finished_at", episodes, confidenceMean = "confidence_mean"
        case confidenceLow = "confidence_low"
    }
}
