import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// What a test run records: per-step samples, derived events, finished episodes (their metrics and logs) and, in
/// `TestTelemetryStore+Artifacts.swift`, its screenshots and demos. Every write is batched and idempotent
/// (`ON CONFLICT DO NOTHING` on the unique keys in docs/runs.md), so a retried batch never stores a row twice.
public struct TestTelemetryStore: Sendable {
    let engine: SQLEngine
    let stepIngest: StepIngest

    public init(sql: SQLEngine) {
        self.init(sql: sql, stepIngest: .fastest)
    }

    /// `stepIngest` picks how steps are written (the benchmark compares them).
    public init(sql: SQLEngine, stepIngest: StepIngestMethod) {
        self.engine = sql
        self.stepIngest = StepIngest(engine: sql, method: stepIngest)
    }

    var sql: any SQLDatabase { engine.sql }

    // MARK: steps

    public func insertSteps(runID: String, _ rows: [StepRow]) async throws {
        try await stepIngest.insert(runID: runID, rows)
    }

    /// One episode's steps in order.
    public func steps(runID: String, episode: Int) async throws -> [StepRow] {
        let rows = try await sql.raw("""
            SELECT episode_num, step, tic, x, y, angle, health, armor, ammo, weapon, killcount, action, reward, keys
            FROM run_steps WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode) ORDER BY step
            """).all()
        return try rows.map { row in
            StepRow(
                episode: try row.decode(column: "episode_num", as: Int.self), step: try row.decode(column: "step", as: Int.self),
                tic: try row.decode(column: "tic", as: Int.self), x: try row.decode(column: "x", as: Double.self),
                y: try row.decode(column: "y", as: Double.self), angle: try row.decode(column: "angle", as: Double.self),
                health: try row.decode(column: "health", as: Int.self), armor: try row.decode(column: "armor", as: Int.self),
                ammo: try row.decode(column: "ammo", as: Int.self), weapon: try row.decode(column: "weapon", as: Int.self),
                killcount: try row.decode(column: "killcount", as: Int.self), action: try row.decode(column: "action", as: Int.self),
                reward: try row.decode(column: "reward", as: Double?.self),
                keys: try row.decode(column: "keys", as: Int?.self).map { KeySet(bits: UInt8(truncatingIfNeeded: $0)) })
        }
    }

    /// How many steps the run has stored.
    public func stepCount(runID: String) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM run_steps WHERE run_id = \(bind: runID)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: events

    /// Appends an episode's derived events; `firstSeq` is the first event's index among its
    /// episode's events (from 0), so a retried batch lands on the same keys.
    public func insertEvents(runID: String, episode: Int, firstSeq: Int, _ events: [TelemetryEvent]) async throws {
        let rows = events.enumerated().map { EventRow(episode: episode, seq: firstSeq + $0.offset, event: $0.element) }
        try await Self.eventInsert(runID: runID).run(rows, on: engine)
    }

    private struct EventRow {
        var episode: Int
        var seq: Int
        var event: TelemetryEvent
    }

    private static func eventInsert(runID: String) -> MultiRowInsert<EventRow> {
        MultiRowInsert(table: "run_events", columns: ["run_id", "episode_num", "seq", "frame", "timestamp", "type", "x", "y", "data"]) { row, values in
            values.add(runID); values.add(row.episode); values.add(row.seq); values.add(row.event.frame)
            values.add(row.event.timestamp); values.add(row.event.type.rawValue); values.add(row.event.x); values.add(row.event.y)
            values.add(try StoredJSON.encode(row.event))
        }
    }

    /// Events of the run (of one episode when given; of these types when given), by episode and sequence.
    public func events(runID: String, episode: Int?, types: Set<TelemetryEventType>? = nil) async throws -> [Int: [TelemetryEvent]] {
        var query = SQLQueryString("SELECT episode_num, data FROM run_events WHERE run_id = \(bind: runID)")
        if let episode { query.appendLiteral(" AND episode_num = "); query.appendInterpolation(bind: episode) }
        if let types {
            guard !types.isEmpty else { return [:] }
            query.appendLiteral(" AND type IN (")
            query.appendInterpolation(binds: types.map(\.rawValue).sorted())
            query.appendLiteral(")")
        }
        query.appendLiteral(" ORDER BY episode_num, seq")
        var byEpisode: [Int: [TelemetryEvent]] = [:]
        for row in try await sql.raw(query).all() {
            let episode = try row.decode(column: "episode_num", as: Int.self)
            let event = try StoredJSON.decode(TelemetryEvent.self, from: try row.decode(column: "data", as: String.self), table: "run_events")
            byEpisode[episode, default: []].append(event)
        }
        return byEpisode
    }

    // MARK: episodes

    /// Stores finished episodes (their metrics and logs without events; the events are stored in
    /// `run_events` at seq 0…n-1, as `insertEvents` numbers them): one statement for all their events
    /// and one for the episodes. A second save of the same episode changes nothing.
    public func saveEpisodes(runID: String, _ episodes: [(metrics: EpisodeMetrics, log: EpisodeLog)]) async throws {
        let events = episodes.flatMap { episode in
            episode.metrics.events.enumerated().map { EventRow(episode: episode.metrics.episodeNum, seq: $0.offset, event: $0.element) }
        }
        try await Self.eventInsert(runID: runID).run(events, on: engine)
        let now = Date()
        let insert = MultiRowInsert<(metrics: EpisodeMetrics, log: EpisodeLog)>(
            table: "run_episodes", columns: ["run_id", "episode_num", "metrics", "log", "created_at"] + EpisodeFigureColumns.columns
        ) { episode, values in
            var bare = episode.metrics
            bare.events = []
            var bareLog = episode.log
            bareLog.events = []
            values.add(runID); values.add(episode.metrics.episodeNum); values.add(try StoredJSON.encode(bare))
            values.add(try StoredJSON.encode(bareLog)); values.add(now)
            let m = episode.metrics
            values.add(m.exitReached); values.add(m.durationSeconds); values.add(m.kills); values.add(m.deaths); values.add(m.healthLost)
            values.add(m.coverage)
        }
        try await insert.run(episodes, on: engine)
    }

    public func saveEpisode(runID: String, metrics: EpisodeMetrics, log: EpisodeLog) async throws {
        try await saveEpisodes(runID: runID, [(metrics, log)])
    }

    /// Finished episodes in order, each with its events (or without them, which skips reading every event
    /// of the run: the aggregate metrics do not need them).
    public func episodes(runID: String, withEvents: Bool = true) async throws -> [EpisodeMetrics] {
        let rows = try await sql.raw("SELECT episode_num, metrics FROM run_episodes WHERE run_id = \(bind: runID) ORDER BY episode_num").all()
        guard !rows.isEmpty else { return [] }
        let events = withEvents ? try await events(runID: runID, episode: nil) : [:]
        return try rows.map { row in
            var metrics = try StoredJSON.decode(EpisodeMetrics.self, from: try row.decode(column: "metrics", as: String.self), table: "run_episodes")
            metrics.episodeNum = try row.decode(column: "episode_num", as: Int.self)
            metrics.events = events[metrics.episodeNum] ?? []
            return metrics
        }
    }

    /// The newest finished episode with the time it was stored.
    public func latestEpisode(runID: String) async throws -> (metrics: EpisodeMetrics, finishedAt: Date)? {
        guard let row = try await sql.raw("""
            SELECT metrics, created_at FROM run_episodes WHERE run_id = \(bind: runID) ORDER BY episode_num DESC LIMIT 1
            """).first() else { return nil }
        let metrics = try StoredJSON.decode(EpisodeMetrics.self, from: try row.decode(column: "metrics", as: String.self), table: "run_episodes")
        return (metrics, try row.decode(column: "created_at", as: Date.self))
    }

    /// One finished episode's log, with its events.
    public func episodeLog(runID: String, episode: Int) async throws -> EpisodeLog? {
        guard let row = try await sql.raw("""
            SELECT log FROM run_episodes WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode)
            """).first() else { return nil }
        var log = try StoredJSON.decode(EpisodeLog.self, from: try row.decode(column: "log", as: String.self), table: "run_episodes")
        log.events = try await events(runID: runID, episode: episode)[episode] ?? []
        return log
    }

    public func finishedEpisodeCount(runID: String) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM run_episodes WHERE run_id = \(bind: runID)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Deletes steps, events and episode rows with episode_num >= `episode` (an unfinished
    /// episode before a restart).
    public func discardEpisodes(runID: String, from episode: Int) async throws {
        try await engine.transaction { database in
            let sql = try RunColumnTypes(database).sql
            for table in ["run_steps", "run_events", "run_episodes"] {
                try await sql.raw("DELETE FROM \(ident: table) WHERE run_id = \(bind: runID) AND episode_num >= \(bind: episode)").run()
            }
        }
    }
}
