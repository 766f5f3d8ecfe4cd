import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// A milestone as stored: who earned it, when, where, and its screenshot once linked.
public struct MilestoneRecord: Sendable, Hashable, Codable {
    public var runID: String
    public var milestone: Milestone
    /// The agent's name (docs/live-state.md: `navigator`, `dqn@ckpt_…`).
    public var agent: String
    public var mapID: String
    public var episode: Int
    public var tic: Int
    public var x: Double
    public var y: Double
    public var awardedAt: Date
    /// The artifact id of the screenshot of that moment, once the agent's file is stored.
    public var screenshotArtifact: String?

    public init(runID: String, award: MilestoneAward, agent: String, mapID: String, awardedAt: Date, screenshotArtifact: String? = nil) {
        self.runID = runID
        self.milestone = award.milestone
        self.agent = agent
        self.mapID = mapID
        self.episode = award.episode
        self.tic = award.tic
        self.x = award.x
        self.y = award.y
        self.awardedAt = awardedAt
        self.screenshotArtifact = screenshotArtifact
    }
}

/// One finished episode's rewards and decision confidence, for the reward summaries and the confidence trend.
public struct AgentEpisodeSummary: Sendable, Hashable {
    public var runID: String
    public var episode: Int
    public var agent: String
    public var mapID: String
    public var steps: Int
    public var rewardTotal: Double
    public var rewardMin: Double?
    public var rewardMax: Double?
    public var confidenceMean: Double?
    /// The 10th percentile: how unsure the agent was at its least sure moments.
    public var confidenceLow: Double?
    public var finishedAt: Date

    public init(runID: String, episode: Int, agent: String, mapID: String, steps: Int, rewardTotal: Double, rewardMin: Double?,
                rewardMax: Double?, confidenceMean: Double?, confidenceLow: Double?, finishedAt: Date) {
        self.runID = runID
        self.episode = episode
        self.agent = agent
        self.mapID = mapID
        self.steps = steps
        self.rewardTotal = rewardTotal
        self.rewardMin = rewardMin
        self.rewardMax = rewardMax
        self.confidenceMean = confidenceMean
        self.confidenceLow = confidenceLow
        self.finishedAt = finishedAt
    }
}

/// One run's mean confidence: a point of an agent's confidence trend.
public struct ConfidencePoint: Sendable, Hashable {
    public var runID: String
    public var mapID: String
    public var finishedAt: Date
    public var episodes: Int
    public var confidenceMean: Double
    public var confidenceLow: Double?
}

/// A stuck spot an agent found on a map, kept so the next session on that map knows it.
public struct AgentStuckSpot: Sendable, Hashable {
    public var runID: String
    public var episode: Int
    public var spot: StuckSpot

    public init(runID: String, episode: Int, spot: StuckSpot) {
        self.runID = runID
        self.episode = episode
        self.spot = spot
    }
}

/// The durable part of agents' live state (docs/live-state.md). Every write is idempotent by its key, so a retried
/// batch stores nothing twice; location heat is written once per stored episode.
public struct AgentProgressStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) {
        self.engine = sql
    }

    var sql: any SQLDatabase { engine.sql }

    // MARK: milestones

    /// Stores the awards and returns those that were new (a milestone the run already holds is left alone).
    public func insertMilestones(_ records: [MilestoneRecord]) async throws -> [MilestoneRecord] {
        var inserted: [MilestoneRecord] = []
        for record in records {
            let row = try await sql.raw("""
                INSERT INTO run_milestones (run_id, milestone, agent, map_id, episode, tic, x, y, awarded_at, screenshot_artifact)
                VALUES (\(bind: record.runID), \(bind: record.milestone.rawValue), \(bind: record.agent), \(bind: record.mapID),
                        \(bind: record.episode), \(bind: record.tic), \(bind: record.x), \(bind: record.y), \(bind: record.awardedAt),
                        \(bind: record.screenshotArtifact))
                ON CONFLICT DO NOTHING RETURNING milestone
                """).first()
            if row != nil { inserted.append(record) }
        }
        return inserted
    }

    /// Links each of the run's milestones without a screenshot to the screenshot of that moment: the episode's
    /// screenshot at or up to 5 s before its tic, a `milestone` one first. Run after milestones or screenshots arrive.
    public func linkMilestoneScreenshots(runID: String) async throws {
        try await sql.raw("""
            UPDATE run_milestones SET screenshot_artifact = (
                SELECT a.id FROM artifacts a
                WHERE a.run_id = run_milestones.run_id AND a.episode = run_milestones.episode AND a.kind = 'screenshot'
                  AND a.tic <= run_milestones.tic AND a.tic >= run_milestones.tic - 175
                ORDER BY CASE WHEN a.reason = 'milestone' THEN 0 ELSE 1 END, a.tic DESC LIMIT 1)
            WHERE run_id = \(bind: runID) AND screenshot_artifact IS NULL
            """).run()
    }

    /// The run's milestones in the order they were earned.
    public func milestones(runID: String) async throws -> [MilestoneRecord] {
        try await sql.raw("""
            SELECT run_id, milestone, agent, map_id, episode, tic, x, y, awarded_at, screenshot_artifact FROM run_milestones
            WHERE run_id = \(bind: runID) ORDER BY awarded_at, episode, tic
            """).all().compactMap(Self.milestone(from:))
    }

    private static func milestone(from row: any SQLRow) throws -> MilestoneRecord? {
        guard let milestone = Milestone(rawValue: try row.decode(column: "milestone", as: String.self)) else { return nil }
        let award = MilestoneAward(
            milestone: milestone, episode: try row.decode(column: "episode", as: Int.self), tic: try row.decode(column: "tic", as: Int.self),
            x: try row.decode(column: "x", as: Double.self), y: try row.decode(column: "y", as: Double.self))
        return MilestoneRecord(
            runID: try row.decode(column: "run_id", as: String.self), award: award, agent: try row.decode(column: "agent", as: String.self),
            mapID: try row.decode(column: "map_id", as: String.self), awardedAt: try row.decode(column: "awarded_at", as: Date.self),
            screenshotArtifact: try row.decode(column: "screenshot_artifact", as: String?.self))
    }

    // MARK: location heat

    /// Adds one stored episode's visits per 64-unit cell to the run's heat.
    public func addLocations(runID: String, _ visits: [GridCell: Int]) async throws {
        for chunk in Array(visits).chunked(into: 500) {
            var query = SQLQueryString("INSERT INTO run_locations (run_id, cell_x, cell_y, visits) VALUES ")
            for (index, entry) in chunk.enumerated() {
                query.appendLiteral(index == 0 ? "(" : ", (")
                query.appendInterpolation(bind: runID)
                query.appendLiteral(", ")
                query.appendInterpolation(bind: entry.key.x)
                query.appendLiteral(", ")
                query.appendInterpolation(bind: entry.key.y)
                query.appendLiteral(", ")
                query.appendInterpolation(bind: entry.value)
                query.appendLiteral(")")
            }
            query.appendLiteral(" ON CONFLICT (run_id, cell_x, cell_y) DO UPDATE SET visits = run_locations.visits + excluded.visits")
            try await sql.raw(query).run()
        }
    }

    /// The run's most visited cells, most visited first.
    public func locations(runID: String, limit: Int) async throws -> [(cell: GridCell, visits: Int)] {
        try await sql.raw("""
            SELECT cell_x, cell_y, visits FROM run_locations WHERE run_id = \(bind: runID) ORDER BY visits DESC LIMIT \(bind: limit)
            """).all().map { row in
            (GridCell(x: try row.decode(column: "cell_x", as: Int.self), y: try row.decode(column: "cell_y", as: Int.self)),
             try row.decode(column: "visits", as: Int.self))
        }
    }

    // MARK: episodes

    public func saveEpisodes(_ summaries: [AgentEpisodeSummary]) async throws {
        for s in summaries {
            try await sql.raw("""
                INSERT INTO agent_episodes (run_id, episode, agent, map_id, steps, reward_total, reward_min, reward_max, confidence_mean,
                                            confidence_low, finished_at)
                VALUES (\(bind: s.runID), \(bind: s.episode), \(bind: s.agent), \(bind: s.mapID), \(bind: s.steps), \(bind: s.rewardTotal),
                        \(bind: s.rewardMin), \(bind: s.rewardMax), \(bind: s.confidenceMean), \(bind: s.confidenceLow), \(bind: s.finishedAt))
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// The agent's mean decision confidence per run, oldest run first, over its newest `limit` runs.
    public func confidenceTrend(agent: String, limit: Int) async throws -> [ConfidencePoint] {
        try await sql.raw("""
            SELECT run_id, MIN(map_id) AS map_id, MAX(finished_at) AS finished_at, COUNT(*) AS episodes,
                   AVG(confidence_mean) AS confidence_mean, AVG(confidence_low) AS confidence_low
            FROM agent_episodes WHERE agent = \(bind: agent) AND confidence_mean IS NOT NULL
            GROUP BY run_id ORDER BY MAX(finished_at) DESC LIMIT \(bind: limit)
            """).all().map { row in
            ConfidencePoint(
                runID: try row.decode(column: "run_id", as: String.self), mapID: try row.decode(column: "map_id", as: String.self),
                finishedAt: try row.decode(column: "finished_at", as: Date.self), episodes: try row.decode(column: "episodes", as: Int.self),
                confidenceMean: try row.decode(column: "confidence_mean", as: Double.self),
                confidenceLow: try row.decode(column: "confidence_low", as: Double?.self))
        }.reversed()
    }

    // MARK: stuck spots

    public func insertStuckSpots(_ spots: [AgentStuckSpot], agent: String, mapID: String) async throws {
        for s in spots {
            try await sql.raw("""
                INSERT INTO agent_stuck_spots (run_id, episode, start_tic, agent, map_id, x, y, duration_tics)
                VALUES (\(bind: s.runID), \(bind: s.episode), \(bind: s.spot.startTic), \(bind: agent), \(bind: mapID), \(bind: s.spot.x),
                        \(bind: s.spot.y), \(bind: s.spot.durationTics))
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// The newest stuck spots this agent found on this map, across its runs.
    public func stuckSpots(agent: String, mapID: String, limit: Int) async throws -> [AgentStuckSpot] {
        try await sql.raw("""
            SELECT s.run_id, s.episode, s.start_tic, s.x, s.y, s.duration_tics FROM agent_stuck_spots s JOIN runs r ON r.id = s.run_id
            WHERE s.agent = \(bind: agent) AND s.map_id = \(bind: mapID) ORDER BY r.created_at DESC, s.episode DESC, s.start_tic DESC
            LIMIT \(bind: limit)
            """).all().map { row in
            let start = try row.decode(column: "start_tic", as: Int.self)
            return AgentStuckSpot(
                runID: try row.decode(column: "run_id", as: String.self), episode: try row.decode(column: "episode", as: Int.self),
                spot: StuckSpot(x: try row.decode(column: "x", as: Double.self), y: try row.decode(column: "y", as: Double.self),
                                startTic: start, endTic: start + (try row.decode(column: "duration_tics", as: Int.self))))
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
