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

    /// Drops every queued event (a rebuild counts them all from the log).
    func emptyQueue() async throws {
        try await sql.raw("DELETE FROM progress_rollup_queue").run()
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

        /// Its columns in the roll-ups' order: experience, event type, content id, [progress row,] player kind.
        func bind<Row>(_ values: inout MultiRowInsert<Row>.Values, progressID: String?) {
            values.add(experience)
            values.add(content.type)
            values.add(content.content)
            if let progressID { values.add(progressID) }
            values.add(kind)
        }
    }

    /// Adds up to `limit` queued events to the roll-ups and takes them off the queue; how many it folded. Call under
    /// ``lock()``. The batch's events are summed per row first, then each roll-up gets one multi-row upsert: a fold
    /// costs a handful of statements however many players it covers.
    func fold(limit: Int) async throws -> Int {
        let (byProgress, ids) = try await events("e.id IN (SELECT event_id FROM progress_rollup_queue ORDER BY event_id LIMIT \(bind: limit))")
        guard !ids.isEmpty else { return 0 }
        let visits = byProgress.sorted { $0.key < $1.key }.flatMap { progressID, progress in
            progress.tallies.sorted { ($0.key.type, $0.key.content) < ($1.key.type, $1.key.content) }.map { content, tally in
                PlayerVisits(place: Place(experience: progress.experience, kind: progress.kind, content: content), progressID: progressID, tally: tally)
            }
        }
        let seen = try await playersSeen(visits)
        var totals: [Place: (visits: Int, players: Int, time: Double)] = [:]
        var hours: [HourKey: (visits: Int, time: Double)] = [:]
        for visit in visits {
            let firstVisit = !seen.contains(PlayerKey(visit))
            totals[visit.place, default: (0, 0, 0)].visits += visit.tally.visits
            totals[visit.place, default: (0, 0, 0)].players += firstVisit ? 1 : 0
            totals[visit.place, default: (0, 0, 0)].time += visit.tally.time
            for (hour, figures) in visit.tally.hours {
                hours[HourKey(place: visit.place, hour: hour), default: (0, 0)].visits += figures.visits
                hours[HourKey(place: visit.place, hour: hour), default: (0, 0)].time += figures.time
            }
        }
        let dialect: SQLEngine.Dialect = isPostgres ? .postgres : .sqlite
        try await MultiRowInsert<PlayerVisits>(
            table: "progress_content_players",
            columns: ["experience_id", "event_type", "content_id", "experience_progress_id", "player_kind", "first_at", "last_at", "visits"],
            conflict: """
                ON CONFLICT (experience_id, event_type, content_id, experience_progress_id) DO UPDATE SET
                    visits = progress_content_players.visits + excluded.visits,
                    first_at = CASE WHEN excluded.first_at < progress_content_players.first_at THEN excluded.first_at ELSE progress_content_players.first_at END,
                    last_at = CASE WHEN excluded.last_at > progress_content_players.last_at THEN excluded.last_at ELSE progress_content_players.last_at END
                """
        ) { visit, values in
            visit.place.bind(&values, progressID: visit.progressID)
            values.add(visit.tally.first)
            values.add(visit.tally.last)
            values.add(visit.tally.visits)
        }.run(visits, on: sql, dialect: dialect)
        try await MultiRowInsert<(key: HourKey, value: (visits: Int, time: Double))>(
            table: "progress_content_hourly",
            columns: ["experience_id", "event_type", "content_id", "player_kind", "hour", "visits", "time_spent"],
            conflict: """
                ON CONFLICT (experience_id, event_type, content_id, player_kind, hour) DO UPDATE SET
                    visits = progress_content_hourly.visits + excluded.visits, time_spent = progress_content_hourly.time_spent + excluded.time_spent
                """
        ) { row, values in
            row.key.place.bind(&values, progressID: nil)
            values.add(row.key.hour)
            values.add(row.value.visits)
            values.add(row.value.time)
        }.run(hours.sorted { ($0.key.place, $0.key.hour) < ($1.key.place, $1.key.hour) }, on: sql, dialect: dialect)
        try await MultiRowInsert<(key: Place, value: (visits: Int, players: Int, time: Double))>(
            table: "progress_content_totals",
            columns: ["experience_id", "event_type", "content_id", "player_kind", "visits", "players", "time_spent"],
            conflict: """
                ON CONFLICT (experience_id, event_type, player_kind, content_id) DO UPDATE SET
                    visits = progress_content_totals.visits + excluded.visits, players = progress_content_totals.players + excluded.players,
                    time_spent = progress_content_totals.time_spent + excluded.time_spent
                """
        ) { row, values in
            row.key.bind(&values, progressID: nil)
            values.add(row.value.visits)
            values.add(row.value.players)
            values.add(row.value.time)
        }.run(totals.sorted { $0.key < $1.key }, on: sql, dialect: dialect)
        // Queued events whose player went since they were read leave with the delete's cascade; these are the rest.
        try await sql.raw("DELETE FROM progress_rollup_queue WHERE event_id IN (\(binds: ids))").run()
        return ids.count
    }

    /// One player's visits of one content id in a fold.
    private struct PlayerVisits {
        var place: Place
        var progressID: String
        var tally: Tally
    }

    private struct HourKey: Hashable {
        var place: Place
        var hour: Int64
    }

    private struct PlayerKey: Hashable {
        var progressID: String
        var content: Content

        init(_ visit: PlayerVisits) {
            progressID = visit.progressID
            content = visit.place.content
        }

        init(progressID: String, type: String, content: String) {
            self.progressID = progressID
            self.content = Content(type: type, content: content)
        }
    }

    /// Which of the visits' players already have a row for their content id (the others are new unique players).
    private func playersSeen(_ visits: [PlayerVisits]) async throws -> Set<PlayerKey> {
        var seen: Set<PlayerKey> = []
        for chunk in stride(from: 0, to: visits.count, by: 2000).map({ visits[$0..<min($0 + 2000, visits.count)] }) {
            let keys: [SQLQueryString] = chunk.map {
                "(\(bind: $0.place.experience), \(bind: $0.place.content.type), \(bind: $0.place.content.content), \(bind: $0.progressID))"
            }
            let rows = try await sql.raw("""
                SELECT experience_progress_id, event_type, content_id FROM progress_content_players
                WHERE (experience_id, event_type, content_id, experience_progress_id) IN (VALUES \(keys.joined(separator: ", ")))
                """).all()
            for row in rows {
                seen.insert(PlayerKey(progressID: try row.decode(column: "experience_progress_id", as: String.self),
                                      type: try row.decode(column: "event_type", as: String.self),
                                      content: try row.decode(column: "content_id", as: String.self)))
            }
        }
        return seen
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
