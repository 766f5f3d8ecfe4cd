import Foundation
import PlaytestCore
import SQLKit

/// Keeps the analytics roll-ups (``CreateProgressAnalytics``) in step with the event log. An append queues the events
/// it stored (``queue(_:)``, in its transaction, touching no shared row); a fold adds queued events to the roll-ups and
/// takes them off the queue, in one transaction; a deleted player's folded events are taken out before the delete.
/// Folds, deletes and rebuilds hold one lock (``lock()``), so an event is counted once and a deleted player leaves no
/// count behind. Only events with a content id count (they are what the analytics are about); `data.time_spent`
/// (seconds) is the time spent.
struct ProgressRollups {
    let sql: any SQLDatabase
    let isPostgres: Bool

    /// The advisory lock's key on PostgreSQL ("ptRU").
    private static let lockKey: Int64 = 0x7074_5255

    private struct Content: Hashable {
        var type: String
        var content: String
    }

    private struct Tally {
        var visits = 0
        var time = 0.0
        var first = Date.distantFuture
        var last = Date.distantPast
        var hours: [Int64: (visits: Int, time: Double)] = [:]

        mutating func add(_ at: Date, time spent: Double) {
            visits += 1
            time += spent
            first = min(first, at)
            last = max(last, at)
            let hour = ProgressRollups.hour(of: at)
            hours[hour, default: (0, 0)].visits += 1
            hours[hour, default: (0, 0)].time += spent
        }
    }

    /// One experience-progress row's events, as a fold or a delete reads them.
    private struct ProgressEvents {
        var experience: String
        var kind: String
        var tallies: [Content: Tally] = [:]
    }

    static func hour(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 3600).rounded(.down)) }

    /// Serialises folds, deletes and rebuilds for the rest of the transaction: a transaction-scoped advisory lock on
    /// PostgreSQL; SQLite has one writer at a time already.
    func lock() async throws {
        guard isPostgres else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.lockKey))").run()
    }

    /// Queues the stored events that have a content id for the next fold (the append's transaction).
    func queue(_ events: [ProgressEventRecord]) async throws {
        let values: [SQLQueryString] = events.filter { $0.contentID != nil }.map { "(\(bind: $0.id))" }
        guard !values.isEmpty else { return }
        try await sql.raw("INSERT INTO progress_rollup_queue (event_id) VALUES \(values.joined(separator: ", "))").run()
    }

    /// Queued events, if any (a cheap check before taking the lock).
    func hasQueued() async throws -> Bool {
        try await sql.raw("SELECT event_id FROM progress_rollup_queue LIMIT 1").first() != nil
    }

    /// How many events wait for a fold.
    func backlog() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM progress_rollup_queue").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private var timeSpentColumn: String {
        isPostgres ? "COALESCE((e.data->>'time_spent')::float8, 0)" : "COALESCE(json_extract(e.data, '$.time_spent'), 0)"
    }

    /// Events with a content id matching `filter` (on `e`, the event, `p`, its progress row, and `f`, the profile),
    /// by progress row; `ids` are the events read.
    private func events(_ filter: SQLQueryString) async throws -> (byProgress: [String: ProgressEvents], ids: [String]) {
        let rows = try await sql.raw("""
            SELECT e.id AS event_id, p.id, p.experience_id, f.kind, e.event_type, e.content_id, e.timestamp, \(unsafeRaw: timeSpentColumn) AS spent
            FROM player_progress_events e JOIN experience_progress p ON p.id = e.experience_progress_id
            JOIN player_profiles f ON f.id = p.player_id
            WHERE e.content_id IS NOT NULL AND \(filter)
            """).all()
        var byProgress: [String: ProgressEvents] = [:]
        var ids: [String] = []
        for row in rows {
            ids.append(try row.decode(column: "event_id", as: String.self))
            let id = try row.decode(column: "id", as: String.self)
            let content = Content(type: try row.decode(column: "event_type", as: String.self), content: try row.decode(column: "content_id", as: String.self))
            if byProgress[id] == nil {
                byProgress[id] = ProgressEvents(experience: try row.decode(column: "experience_id", as: String.self),
                                                kind: try row.decode(column: "kind", as: String.self))
            }
            byProgress[id]?.tallies[content, default: Tally()].add(try row.decode(column: "timestamp", as: Date.self),
                                                                   time: max(0, try row.decode(column: "spent", as: Double?.self) ?? 0))
        }
        return (byProgress, ids)
    }

    /// A content id of one experience, for one kind of player: a row of the all-time figures.
    private struct Place: Hashable, Comparable {
        var experience: String
        var kind: String
        var content: Content

        static func < (a: Place, b: Place) -> Bool {
            (a.experience, a.kind, a.content.type, a.content.content) < (b.experience, b.kind, b.content.type, b.content.content)
        }
    }

    /// Adds up to `limit` queued events to the roll-ups and takes them off the queue; how many it folded. Call under
    /// ``lock()``. The batch's events are summed per row first, so the rows every player shares (hourly, all-time) get
    /// one update each per fold.
    func fold(limit: Int) async throws -> Int {
        let (byProgress, ids) = try await events("e.id IN (SELECT event_id FROM progress_rollup_queue ORDER BY event_id LIMIT \(bind: limit))")
        var totals: [Place: (visits: Int, players: Int, time: Double)] = [:]
        var hours: [Place: [Int64: (visits: Int, time: Double)]] = [:]
        for (progressID, progress) in byProgress.sorted(by: { $0.key < $1.key }) {
            for (content, tally) in progress.tallies {
                let firstVisit = try await addVisits(tally, of: content, progress: progress, progressID: progressID)
                let place = Place(experience: progress.experience, kind: progress.kind, content: content)
                totals[place, default: (0, 0, 0)].visits += tally.visits
                totals[place, default: (0, 0, 0)].players += firstVisit ? 1 : 0
                totals[place, default: (0, 0, 0)].time += tally.time
                for (hour, figures) in tally.hours {
                    hours[place, default: [:]][hour, default: (0, 0)].visits += figures.visits
                    hours[place, default: [:]][hour, default: (0, 0)].time += figures.time
                }
            }
        }
        for (place, figures) in totals.sorted(by: { $0.key < $1.key }) {
            let (experience, kind, type, content) = (place.experience, place.kind, place.content.type, place.content.content)
            for (hour, hourly) in (hours[place] ?? [:]).sorted(by: { $0.key < $1.key }) {
                try await sql.raw("""
                    INSERT INTO progress_content_hourly (experience_id, event_type, content_id, player_kind, hour, visits, time_spent)
                    VALUES (\(bind: experience), \(bind: type), \(bind: content), \(bind: kind), \(bind: hour), \(bind: hourly.visits), \(bind: hourly.time))
                    ON CONFLICT (experience_id, event_type, content_id, player_kind, hour) DO UPDATE SET
                        visits = progress_content_hourly.visits + excluded.visits, time_spent = progress_content_hourly.time_spent + excluded.time_spent
                    """).run()
            }
            try await sql.raw("""
                INSERT INTO progress_content_totals (experience_id, event_type, player_kind, content_id, visits, players, time_spent)
                VALUES (\(bind: experience), \(bind: type), \(bind: kind), \(bind: content), \(bind: figures.visits), \(bind: figures.players),
                    \(bind: figures.time))
                ON CONFLICT (experience_id, event_type, player_kind, content_id) DO UPDATE SET
                    visits = progress_content_totals.visits + excluded.visits, players = progress_content_totals.players + excluded.players,
                    time_spent = progress_content_totals.time_spent + excluded.time_spent
                """).run()
        }
        // Queued events whose player went since they were read leave with the delete's cascade; these are the rest.
        if !ids.isEmpty {
            try await sql.raw("DELETE FROM progress_rollup_queue WHERE event_id IN (\(binds: ids))").run()
        }
        return ids.count
    }

    /// Adds one player's visits of a content id to their row; true when it is their first (a new unique player).
    private func addVisits(_ tally: Tally, of content: Content, progress: ProgressEvents, progressID: String) async throws -> Bool {
        let firstVisit = try await sql.raw("""
            INSERT INTO progress_content_players (experience_id, event_type, content_id, experience_progress_id, player_kind, first_at, last_at, visits)
            VALUES (\(bind: progress.experience), \(bind: content.type), \(bind: content.content), \(bind: progressID), \(bind: progress.kind),
                \(bind: tally.first), \(bind: tally.last), \(bind: tally.visits))
            ON CONFLICT DO NOTHING RETURNING visits
            """).first() != nil
        if !firstVisit {
            try await sql.raw("""
                UPDATE progress_content_players SET visits = visits + \(bind: tally.visits),
                    first_at = CASE WHEN first_at > \(bind: tally.first) THEN \(bind: tally.first) ELSE first_at END,
                    last_at = CASE WHEN last_at < \(bind: tally.last) THEN \(bind: tally.last) ELSE last_at END
                WHERE experience_id = \(bind: progress.experience) AND event_type = \(bind: content.type) AND content_id = \(bind: content.content)
                    AND experience_progress_id = \(bind: progressID)
                """).run()
        }
        return firstVisit
    }

    /// Takes a player's folded events out of the hourly and all-time figures (their per-player rows and queued events
    /// go with the delete's cascade), so a deleted player leaves no count behind. Call under ``lock()``.
    func remove(userID: String) async throws {
        let (byProgress, _) = try await events("""
            f.user_id = \(bind: userID) AND NOT EXISTS (SELECT 1 FROM progress_rollup_queue q WHERE q.event_id = e.id)
            """)
        for (_, progress) in byProgress.sorted(by: { $0.key < $1.key }) {
            for (key, tally) in progress.tallies {
                for (hour, figures) in tally.hours {
                    try await sql.raw("""
                        UPDATE progress_content_hourly SET visits = visits - \(bind: figures.visits), time_spent = time_spent - \(bind: figures.time)
                        WHERE experience_id = \(bind: progress.experience) AND event_type = \(bind: key.type) AND content_id = \(bind: key.content)
                            AND player_kind = \(bind: progress.kind) AND hour = \(bind: hour)
                        """).run()
                }
                try await sql.raw("""
                    UPDATE progress_content_totals SET visits = visits - \(bind: tally.visits), players = players - 1,
                        time_spent = time_spent - \(bind: tally.time)
                    WHERE experience_id = \(bind: progress.experience) AND event_type = \(bind: key.type) AND content_id = \(bind: key.content)
                        AND player_kind = \(bind: progress.kind)
                    """).run()
            }
        }
        try await sql.raw("DELETE FROM progress_content_hourly WHERE visits <= 0").run()
        try await sql.raw("DELETE FROM progress_content_totals WHERE visits <= 0").run()
    }

    /// Recomputes every roll-up from the event log (the analytics migration's backfill, and `playtest progress rollups`,
    /// which also empties the queue under ``lock()``).
    func rebuild() async throws {
        let hour = isPostgres ? "FLOOR(EXTRACT(EPOCH FROM e.timestamp) / 3600)::bigint" : "CAST(e.timestamp / 3600 AS INTEGER)"
        let from = """
            FROM player_progress_events e JOIN experience_progress p ON p.id = e.experience_progress_id
            JOIN player_profiles f ON f.id = p.player_id WHERE e.content_id IS NOT NULL
            """
        for statement in [
            "DELETE FROM progress_content_hourly", "DELETE FROM progress_content_players", "DELETE FROM progress_content_totals",
            """
            INSERT INTO progress_content_hourly (experience_id, event_type, content_id, player_kind, hour, visits, time_spent)
            SELECT p.experience_id, e.event_type, e.content_id, f.kind, \(hour), COUNT(*), SUM(\(timeSpentColumn)) \(from)
            GROUP BY p.experience_id, e.event_type, e.content_id, f.kind, \(hour)
            """,
            """
            INSERT INTO progress_content_players (experience_id, event_type, content_id, experience_progress_id, player_kind, first_at, last_at, visits)
            SELECT p.experience_id, e.event_type, e.content_id, p.id, f.kind, MIN(e.timestamp), MAX(e.timestamp), COUNT(*) \(from)
            GROUP BY p.experience_id, e.event_type, e.content_id, p.id, f.kind
            """,
            """
            INSERT INTO progress_content_totals (experience_id, event_type, player_kind, content_id, visits, players, time_spent)
            SELECT p.experience_id, e.event_type, f.kind, e.content_id, COUNT(*), COUNT(DISTINCT p.id), SUM(\(timeSpentColumn)) \(from)
            GROUP BY p.experience_id, e.event_type, f.kind, e.content_id
            """,
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }
}
