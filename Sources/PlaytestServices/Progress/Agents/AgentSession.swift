import Foundation
import PlaytestCore
import PlaytestStorage

/// One agent session's live state as a test run's recorder sees it (docs/live-state.md): what the agent did since
/// the last flush, the milestones it earned, its stuck spots and each finished episode's rewards and confidence.
/// ``AgentProgress/flush(_:)`` writes it once per telemetry flush (SQL first, then one Redis pipeline).
public struct AgentSession: Sendable {
    public let runID: String
    /// ``AgentIdentity`` name.
    public let agent: String
    public let mapID: String
    /// The map lump played (`E1M1`).
    public let map: String
    public let totalEpisodes: Int
    public var keys: AgentLiveKeys { AgentLiveKeys(agentID: runID) }

    var tracker: MilestoneTracker
    /// Stuck spots this agent found on this map before, plus this session's.
    var knownStuck: [AgentStuckSpot]

    // Since the last flush.
    private(set) var latest: StepSample?
    private(set) var framesSinceFlush = 0
    /// Only the newest `Bounds.decisions` and `Bounds.rewards` are kept: the lists hold no more.
    private(set) var newDecisions: [AgentDecision] = []
    private(set) var newRewards: [Double] = []
    private(set) var newCellVisits: [GridCell: Int] = [:]
    private(set) var newAwards: [MilestoneAward] = []
    private(set) var newStuck: [AgentStuckSpot] = []
    private(set) var finishedEpisodes: [AgentEpisodeSummary] = []
    /// Finished episodes' visits per cell, written with the episodes.
    private(set) var finishedCellVisits: [GridCell: Int] = [:]

    // The open episode.
    private(set) var episode: Int?
    private var lastStep = 0
    private var episodeSteps = 0
    private var rewardTotal = 0.0
    private var rewardMin: Double?
    private var rewardMax: Double?
    private var confidences: [Double] = []
    private var episodeCells: [GridCell: Int] = [:]
    private(set) var episodesCompleted: Int
    private(set) var coverage: Double?
    private(set) var currentStuck: StuckSpot?

    /// The last rewards and decisions, newest last, for the live view.
    private(set) var recentRewards: [Double] = []
    private(set) var recentDecisions: [AgentDecision] = []

    public init(runID: String, agent: String, mapID: String, map: String, totalEpisodes: Int, episodesCompleted: Int,
                held: Set<Milestone>, knownStuck: [AgentStuckSpot]) {
        self.runID = runID
        self.agent = agent
        self.mapID = mapID
        self.map = map
        self.totalEpisodes = totalEpisodes
        self.episodesCompleted = episodesCompleted
        self.tracker = MilestoneTracker(held: held, map: map)
        self.knownStuck = knownStuck
    }

    public var held: Set<Milestone> { tracker.held }
    /// True when nothing waits to be written.
    var isIdle: Bool { latest == nil && newAwards.isEmpty && finishedEpisodes.isEmpty && newStuck.isEmpty }

    // MARK: feeding

    /// One step sample, with the open episode's coverage so far and the stuck spot it is in, if any.
    public mutating func observe(_ sample: StepSample, coverage: Double?, stuckNow: StuckSpot?) {
        if episode != sample.episode { open(sample.episode) }
        framesSinceFlush += max(1, sample.step - lastStep)
        lastStep = sample.step
        latest = sample
        self.coverage = coverage
        currentStuck = stuckNow
        episodeSteps = sample.step
        let decision = AgentDecision(step: sample.step, action: sample.action, buttons: sample.buttons, confidence: sample.confidence)
        Self.append(decision, to: &newDecisions, cap: AgentLiveKeys.Bounds.decisions)
        Self.append(decision, to: &recentDecisions, cap: 10)
        if let reward = sample.reward {
            Self.append(reward, to: &newRewards, cap: AgentLiveKeys.Bounds.rewards)
            Self.append(reward, to: &recentRewards, cap: AgentLiveKeys.Bounds.rewards)
            rewardTotal += reward
            rewardMin = min(rewardMin ?? reward, reward)
            rewardMax = max(rewardMax ?? reward, reward)
        }
        if let confidence = sample.confidence { confidences.append(confidence) }
        let cell = GridCell(x: Int((sample.x / 64).rounded(.down)), y: Int((sample.y / 64).rounded(.down)))
        newCellVisits[cell, default: 0] += 1
        episodeCells[cell, default: 0] += 1
        newAwards += tracker.observe(sample, coverage: coverage)
    }

    /// Stuck spots the telemetry found (the `stuck` events of one message).
    public mutating func observe(stuck events: [TelemetryEvent]) {
        for event in events {
            guard case .stuck(let duration, _) = event.detail, let episode else { continue }
            let spot = AgentStuckSpot(runID: runID, episode: episode,
                                      spot: StuckSpot(x: event.x, y: event.y, startTic: event.frame - duration, endTic: event.frame))
            newStuck.append(spot)
            knownStuck.insert(spot, at: 0)
            if knownStuck.count > AgentLiveKeys.Bounds.stuckSpots { knownStuck.removeLast() }
        }
    }

    /// An episode's end: its milestones, and its summary for SQL.
    public mutating func observe(_ end: EpisodeEndMessage, finishedAt: Date = Date()) {
        if episode != end.episode { open(end.episode) }
        newAwards += tracker.finish(end)
        currentStuck = nil
        episodesCompleted += 1
        let sorted = confidences.sorted()
        finishedEpisodes.append(AgentEpisodeSummary(
            runID: runID, episode: end.episode, agent: agent, mapID: mapID, steps: max(end.steps, episodeSteps),
            rewardTotal: end.totalReward ?? rewardTotal, rewardMin: rewardMin, rewardMax: rewardMax,
            confidenceMean: sorted.isEmpty ? nil : sorted.reduce(0, +) / Double(sorted.count),
            confidenceLow: sorted.isEmpty ? nil : sorted[Int(Double(sorted.count - 1) * 0.1)], finishedAt: finishedAt))
        finishedCellVisits.merge(episodeCells, uniquingKeysWith: +)
        episode = nil
    }

    private mutating func open(_ number: Int) {
        episode = number
        lastStep = 0
        episodeSteps = 0
        rewardTotal = 0
        rewardMin = nil
        rewardMax = nil
        confidences = []
        episodeCells = [:]
    }

    /// A number as Redis and JSON readers expect it: `3` rather than `3.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Appends, dropping the oldest beyond `cap` (in halves, so a long flush interval costs no shifting per step).
    private static func append<T>(_ value: T, to list: inout [T], cap: Int) {
        list.append(value)
        if list.count >= 2 * cap { list.removeFirst(list.count - cap) }
    }

    // MARK: flushing

    /// What the next flush writes to SQL, taken out of the session.
    mutating func takeDurable() -> (awards: [MilestoneAward], stuck: [AgentStuckSpot], episodes: [AgentEpisodeSummary], heat: [GridCell: Int]) {
        defer {
            newAwards = []
            newStuck = []
            finishedEpisodes = []
            finishedCellVisits = [:]
        }
        return (newAwards, newStuck, finishedEpisodes, finishedCellVisits)
    }

    /// The Redis writes of one flush (every key refreshed to expire `ttl` after it), taking the buffered hot state.
    mutating func takeLiveWrites(milestones: [MilestoneRecord], ttl: Duration, now: Date = Date()) -> [LiveWrite] {
        let keys = keys
        var writes: [LiveWrite] = [.hashSet(keys.state, stateFields(now: now))]
        if framesSinceFlush > 0 { writes.append(.increment(keys.frames, by: framesSinceFlush)) }
        if !newDecisions.isEmpty {
            // Encoded here, once per flush, not per step.
            writes.append(.listPushCapped(keys.decisions, newDecisions.suffix(AgentLiveKeys.Bounds.decisions).map(\.json),
                                          cap: AgentLiveKeys.Bounds.decisions))
        }
        if !newRewards.isEmpty {
            writes.append(.listPushCapped(keys.rewards, newRewards.suffix(AgentLiveKeys.Bounds.rewards).map(Self.number),
                                          cap: AgentLiveKeys.Bounds.rewards))
        }
        if !milestones.isEmpty {
            writes.append(.sortedSetAdd(keys.milestones, milestones.map(\.scoredMember), when: .always))
        }
        if !newCellVisits.isEmpty {
            for (cell, visits) in newCellVisits.sorted(by: { $0.key < $1.key }) {
                writes.append(.sortedSetIncrement(keys.locations, member: "\(cell.x),\(cell.y)", by: Double(visits)))
            }
            writes.append(.sortedSetKeepHighest(keys.locations, count: AgentLiveKeys.Bounds.locationCells))
        }
        writes.append(.set(keys.progress, progressJSON(now: now)))
        writes.append(.set(keys.stuck, stuckJSON()))
        writes += [keys.state, keys.frames, keys.decisions, keys.rewards, keys.milestones, keys.locations, keys.progress, keys.stuck]
            .map { .expire($0, ttl: ttl) }
        writes += [.set(keys.heartbeat, JSONTimestamp.format(now)), .expire(keys.heartbeat, ttl: min(AgentLiveKeys.Bounds.heartbeatTTL, ttl))]
        framesSinceFlush = 0
        newDecisions = []
        newRewards = []
        newCellVisits = [:]
        return writes
    }

    /// `agent:{id}:state`: the seed's fields (run, map, episode, status, position, health, ammo) and a few more.
    func stateFields(now: Date) -> [String: String] {
        var fields = ["run": runID, "agent": agent, "map": map, "map_id": mapID, "status": "running", "updated_at": JSONTimestamp.format(now)]
        if let sample = latest {
            fields["episode"] = String(sample.episode)
            fields["position"] = "\(Self.number(sample.x)),\(Self.number(sample.y))"
            fields["angle"] = Self.number(sample.angle)
            fields["health"] = String(sample.health)
            fields["armor"] = String(sample.armor)
            fields["ammo"] = String(sample.ammo)
            fields["kills"] = String(sample.killcount)
        }
        return fields
    }

    /// `agent:{id}:progress`: the session's metrics, sets written as arrays (seed 000, point 3).
    func progressJSON(now: Date) -> String {
        let cells = episodeCells.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(AgentLiveKeys.Bounds.progressCells).map { [$0.key.x, $0.key.y] }
        let progress = AgentProgressMetrics(
            runID: runID, episode: episode ?? latest?.episode, episodesCompleted: episodesCompleted, totalEpisodes: totalEpisodes,
            steps: episodeSteps, kills: latest?.killcount, secrets: latest?.secretcount, coverage: coverage,
            rewardTotalThisEpisode: rewardTotal,
            confidenceMeanThisEpisode: confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count),
            locationsThisEpisode: cells, milestones: tracker.held.sorted().map(\.rawValue), updatedAt: now)
        return (try? PlaytestJSON.string(progress)) ?? "{}"
    }

    /// `agent:{id}:stuck`: the spot the agent is stuck in now and the spots it found on this map before.
    func stuckJSON() -> String {
        AgentStuckState(current: currentStuck, known: knownStuck).json
    }
}

/// One decision of the agent as `:decisions` keeps it.
public struct AgentDecision: Sendable, Hashable, Codable {
    public var step: Int
    public var action: Int
    public var buttons: [String]
    public var confidence: Double?

    var json: String { (try? PlaytestJSON.string(self)) ?? "{}" }
}

/// `agent:{id}:progress`.
public struct AgentProgressMetrics: Sendable, Hashable, Codable {
    public var runID: String
    public var episode: Int?
    public var episodesCompleted: Int
    public var totalEpisodes: Int
    public var steps: Int
    public var kills: Int?
    public var secrets: Int?
    public var coverage: Double?
    public var rewardTotalThisEpisode: Double
    public var confidenceMeanThisEpisode: Double?
    /// 64-unit cells `[x, y]` visited this episode, the most visited first (an array, never a set).
    public var locationsThisEpisode: [[Int]]
    public var milestones: [String]
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", episode, episodesCompleted = "episodes_completed", totalEpisodes = "total_episodes", steps, kills, secrets
        case coverage, rewardTotalThisEpisode = "reward_total_this_episode", confidenceMeanThisEpisode = "confidence_mean_this_episode"
        case locationsThisEpisode = "locations_this_episode", milestones, updatedAt = "updated_at"
    }
}

/// `agent:{id}:stuck`.
public struct AgentStuckState: Sendable, Hashable, Codable {
    public struct Known: Sendable, Hashable, Codable {
        public var runID: String
        public var episode: Int
        public var spot: StuckSpot
        enum CodingKeys: String, CodingKey { case runID = "run_id", episode, spot }
    }

    public var current: StuckSpot?
    public var knownSpots: [Known]
    enum CodingKeys: String, CodingKey { case current, knownSpots = "known_spots" }

    init(current: StuckSpot?, known: [AgentStuckSpot]) {
        self.current = current
        knownSpots = known.map { Known(runID: $0.runID, episode: $0.episode, spot: $0.spot) }
    }

    var json: String { (try? PlaytestJSON.string(self)) ?? "{}" }
}

extension MilestoneRecord {
    /// The member of `agent:{id}:milestones`: the milestone, scored by when it was earned (ms since 1970).
    var scoredMember: ScoredMember {
        ScoredMember(member: milestone.rawValue, score: (awardedAt.timeIntervalSince1970 * 1000).rounded())
    }
}
