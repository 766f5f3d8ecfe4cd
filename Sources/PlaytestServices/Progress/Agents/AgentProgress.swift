import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Agents' live state (seed 000, docs/live-state.md): the hot keys of each playing agent in the live store, written
/// once per telemetry flush in one pipeline, with SQL keeping the durable part (milestones, location heat, episode
/// reward and confidence summaries, stuck spots) and the leaderboards. Losing the live store loses nothing durable.
public struct AgentProgress: Sendable {
    let store: AgentProgressStore
    let live: any LiveStore
    let runLive: RunLiveState
    public let leaderboards: Leaderboards
    let players: AgentPlayers
    let sessionTTL: Duration
    let logger: Logger

    public init(engines: PlaytestEngines, logger: Logger) {
        self.store = AgentProgressStore(sql: engines.sql)
        self.live = engines.live
        self.runLive = RunLiveState(live: engines.live)
        self.leaderboards = Leaderboards(engines: engines, logger: logger)
        self.players = AgentPlayers(engines: engines)
        self.sessionTTL = engines.configuration.agentSessionTTL
        self.logger = logger
    }

    // MARK: playing

    /// The session of a run an agent starts (or resumes) playing: the milestones it already holds and the stuck
    /// spots it found on this map before come from SQL.
    public func begin(_ run: PlayingRun, finished: Int) async throws -> AgentSession {
        let agent = AgentIdentity.name(of: run.plan)
        let held = Set(try await store.milestones(runID: run.id).map(\.milestone))
        let stuck = try await store.stuckSpots(agent: agent, mapID: run.map.id, limit: AgentLiveKeys.Bounds.stuckSpots)
        return AgentSession(runID: run.id, agent: agent, mapID: run.map.id, map: run.plan.mapName, totalEpisodes: run.target,
                            episodesCompleted: finished, held: held, knownStuck: stuck)
    }

    /// Writes what the session gathered since the last flush: SQL first (a failure there fails the attempt, which
    /// is retried), then the live keys in one pipeline and the live messages (failures there are only logged).
    public func flush(_ session: inout AgentSession, publishState: Bool) async throws {
        let durable = session.takeDurable()
        let now = Date()
        let awarded = try await store.insertMilestones(durable.awards.map {
            MilestoneRecord(runID: session.runID, award: $0, agent: session.agent, mapID: session.mapID, awardedAt: now)
        })
        for record in awarded { try await count(record) }
        if !awarded.isEmpty { try await store.linkMilestoneScreenshots(runID: session.runID) }
        if !durable.stuck.isEmpty { try await store.insertStuckSpots(durable.stuck, agent: session.agent, mapID: session.mapID) }
        if !durable.episodes.isEmpty { try await store.saveEpisodes(durable.episodes) }
        if !durable.heat.isEmpty { try await store.addLocations(runID: session.runID, durable.heat) }

        let writes = session.takeLiveWrites(milestones: awarded, ttl: sessionTTL, now: now)
        do {
            try await live.write(writes)
        } catch {
            logger.warning("writing an agent's live state failed; SQL has the durable part", metadata: ["run": "\(session.runID)", "error": "\(error)"])
        }
        for record in awarded { await publish(session.runID, .milestone(MilestoneView(record))) }
        if publishState || !awarded.isEmpty { await publish(session.runID, .agentState(AgentLiveView(session: session, now: now))) }
    }

    /// A new milestone counts once on the milestone board (and the badge board for a badge), by its run and name.
    private func count(_ record: MilestoneRecord) async throws {
        let writeID = "\(record.runID):\(record.milestone.rawValue)"
        let metadata = ["run_id": record.runID, "map_id": record.mapID, "milestone": record.milestone.rawValue]
        try await leaderboards.define(PlatformBoards.milestones)
        try await leaderboards.submit(PlatformBoards.milestones, owner: record.agent, score: 1, writeID: writeID, metadata: metadata)
        if record.milestone.isBadge {
            try await leaderboards.define(PlatformBoards.badges)
            try await leaderboards.submit(PlatformBoards.badges, owner: record.agent, score: 1, writeID: writeID, metadata: metadata)
        }
    }

    /// Links milestone screenshots that were stored after their milestones.
    func linkScreenshots(runID: String) async throws {
        try await store.linkMilestoneScreenshots(runID: runID)
    }

    /// Puts a finished test run on its map's boards (best of, so a retried completion changes nothing).
    func recordOnBoards(_ run: PlayingRun, episodes: [EpisodeMetrics]) async throws {
        let boards = PlatformBoards.map(run.map.id, name: "\(run.map.name) \(run.plan.mapName)")
        let figures = PlatformBoards.figures(of: episodes)
        let agent = AgentIdentity.name(of: run.plan)
        for board in boards {
            guard let figure = board.metadata["figure"], let score = figures[figure] else { continue }
            try await leaderboards.define(board, mapID: run.map.id)
            try await leaderboards.submit(board, owner: agent, score: score, metadata: ["run_id": run.id, "episodes": String(episodes.count)])
        }
    }

    /// Records a finished test run's episodes as its agent's player progress on the map (docs/player-progress.md);
    /// `entered`: the sectors each episode entered, in order.
    func recordAsPlayer(_ run: PlayingRun, geometry: MapGeometry?, entered: [Int: [Int]]) async throws {
        try await players.record(runID: run.id, agent: AgentIdentity.name(of: run.plan), mapID: run.map.id, map: run.plan.mapName,
                                 geometry: geometry, entered: entered)
    }

    private func publish(_ runID: String, _ message: RunLiveMessage) async {
        do {
            try await runLive.publish(runID: runID, message)
        } catch {
            logger.warning("publishing an agent's live message failed", metadata: ["run": "\(runID)", "error": "\(error)"])
        }
    }

    // MARK: reading

    /// The run's milestones, in the order they were earned.
    public func milestones(runID: String) async throws -> [MilestoneView] {
        try await store.milestones(runID: runID).map(MilestoneView.init)
    }

    /// The agent's live state from the live store; nil when it has none (not playing, or expired).
    public func liveView(runID: String) async throws -> AgentLiveView? {
        let keys = AgentLiveKeys(agentID: runID)
        let state = try await live.hashGetAll(keys.state)
        guard !state.isEmpty else { return nil }
        let decisions = try await live.listRange(keys.decisions, start: 0, stop: 9).compactMap {
            try? PlaytestJSON.decoder().decode(AgentDecision.self, from: Data($0.utf8))
        }
        let rewards = try await live.listRange(keys.rewards, start: 0, stop: AgentLiveKeys.Bounds.rewards - 1).compactMap(Double.init)
        let milestones = try await live.sortedSetRange(keys.milestones, start: 0, stop: -1, descending: false).map(\.member)
        let progress = try await live.get(keys.progress).flatMap { try? PlaytestJSON.decoder().decode(AgentProgressMetrics.self, from: Data($0.utf8)) }
        return AgentLiveView(runID: runID, state: state, decisions: decisions.reversed(), rewards: rewards.reversed(), milestones: milestones,
                             progress: progress)
    }

    /// The agent's mean confidence per run, oldest first.
    public func confidenceTrend(agent: String, limit: Int = 50) async throws -> [ConfidenceRun] {
        try await store.confidenceTrend(agent: agent, limit: min(max(1, limit), 500)).map(ConfidenceRun.init)
    }

    // MARK: rebuilding

    /// Restores a running run's session keys from SQL (after the live store lost them): its state, milestones,
    /// location heat and known stuck spots. The rest (decisions, rewards) refills as the agent plays.
    func restore(run: RunRecord) async throws {
        let runID = try run.requireID()
        guard let plan = try? RunPlan(json: run.plan) else { return }
        let mapID = run.$map.id.uuidString.lowercased()
        let agent = AgentIdentity.name(of: plan)
        let keys = AgentLiveKeys(agentID: runID)
        let milestones = try await store.milestones(runID: runID)
        let heat = try await store.locations(runID: runID, limit: AgentLiveKeys.Bounds.locationCells)
        let stuck = try await store.stuckSpots(agent: agent, mapID: mapID, limit: AgentLiveKeys.Bounds.stuckSpots)
        var writes: [LiveWrite] = [.hashSet(keys.state, [
            "run": runID, "agent": agent, "map": plan.mapName, "map_id": mapID, "status": run.status.rawValue,
            "episode": String(run.progress + 1), "updated_at": JSONTimestamp.format(Date()), "restored": "true",
        ])]
        if !milestones.isEmpty {
            writes.append(.sortedSetAdd(keys.milestones, milestones.map(\.scoredMember), when: .always))
        }
        if !heat.isEmpty {
            writes.append(.sortedSetAdd(keys.locations, heat.map { ScoredMember(member: "\($0.cell.x),\($0.cell.y)", score: Double($0.visits)) },
                                        when: .greater))
        }
        writes.append(.set(keys.stuck, AgentStuckState(current: nil, known: stuck).json))
        writes += [keys.state, keys.milestones, keys.locations, keys.stuck].map { .expire($0, ttl: sessionTTL) }
        try await live.write(writes)
    }
}
