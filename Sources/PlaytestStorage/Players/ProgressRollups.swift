import Foundation
import PlaytestCore
import SQLKit

/// Keeps the analytics roll-ups (``CreateProgressAnalytics``) in step with the event log: the events an append stored
/// are added in the append's transaction, a deleted player's are taken out before the delete. Only events with a
/// content id count (they are what the analytics are about); `data.time_spent` (seconds) is the time spent.
struct ProgressRollups {
    let sql: any SQLDatabase
    let isPostgres: Bool

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

    static func hour(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 3600).rounded(.down)) }

    static func timeSpent(_ data: JSONValue) -> Double {
        if case .object(let members) = data, case .number(let number)? = members["time_spent"], number.double.isFinite {
            return max(0, number.double)
        }
        return 0
    }

    private static func tallies(_ events: [(type: String, content: String?, at: Date, time: Double)]) -> [Content: Tally] {
        var tallies: [Content: Tally] = [:]
        for event in events {
            guard let content = event.content else { continue }
            tallies[Content(type: event.type, content: content), default: Tally()].add(event.at, time: event.time)
        }
        return tallies
    }

    /// Adds events one experience-progress row just stored.
    func add(_ events: [ProgressEventRecord], experienceID: String, progressID: String, kind: String) async throws {
        let tallies = Self.tallies(events.map { ($0.eventType, $0.contentID, $0.timestamp, Self.timeSpent($0.data)) })
        for (key, tally) in tallies.sorted(by: { ($0.key.type, $0.key.content) < ($1.key.type, $1.key.content) }) {
            for (hour, figures) in tally.hours.sorted(by: { $0.key < $1.key }) {
                try await sql.raw("""
                    INSERT INTO progress_content_hourly (experience_id, event_type, content_id, player_kind, hour, visits, time_spent)
                    VALUES (\(bind: experienceID), \(bind: key.type), \(bind: key.content), \(bind: kind), \(bind: hour), \(bind: figures.visits),
                        \(bind: figures.time))
                    ON CONFLICT (experience_id, event_type, content_id, player_kind, hour) DO UPDATE SET
                        visits = progress_content_hourly.visits + excluded.visits, time_spent = progress_content_hourly.time_spent + excluded.time_spent
                    """).run()
            }
            let firstVisit = try await sql.raw("""
                INSERT INTO progress_content_players (experience_id, event_type, content_id, experience_progress_id, player_kind, first_at, last_at, visits)
                VALUES (\(bind: experienceID), \(bind: key.type), \(bind: key.content), \(bind: progressID), \(bind: kind), \(bind: tally.first),
                    \(bind: tally.last), \(bind: tally.visits))
                ON CONFLICT DO NOTHING RETURNING visits
                """).first() != nil
            if !firstVisit {
                try await sql.raw("""
                    UPDATE progress_content_players SET visits = visits + \(bind: tally.visits),
                        first_at = CASE WHEN first_at > \(bind: tally.first) THEN \(bind: tally.first) ELSE first_at END,
                        last_at = CASE WHEN last_at < \(bind: tally.last) THEN \(bind: tally.last) ELSE last_at END
                    WHERE experience_id = \(bind: experienceID) AND event_type = \(bind: key.type) AND content_id = \(bind: key.content)
                        AND experience_progress_id = \(bind: progressID)
                    """).run()
            }
            try await sql.raw("""
                INSERT INTO progress_content_totals (experience_id, event_type, player_kind, content_id, visits, players, time_spent)
                VALUES (\(bind: experienceID), \(bind: key.type), \(bind: kind), \(bind: key.content), \(bind: tally.visits), \(bind: firstVisit ? 1 : 0),
                    \(bind: tally.time))
                ON CONFLICT (experience_id, event_type, player_kind, content_id) DO UPDATE SET
                    visits = progress_content_totals.visits + excluded.visits, players = progress_content_totals.players + excluded.players,
                    time_spent = progress_content_totals.time_spent + excluded.time_spent
                """).run()
        }
    }

    private var timeSpentColumn: String {
        isPostgres ? "COALESCE((e.data->>'time_spent')::float8, 0)" : "COALESCE(json_extract(e.data, '$.time_spent'), 0)"
    }

    /// Takes a player's events out of the hourly and all-time figures (their per-player rows go with the delete's
    /// cascade), so a deleted player leaves no count behind.
    func remove(userID: String) async throws {
        let rows = try await sql.raw("""
            SELECT p.id, p.experience_id, f.kind, e.event_type, e.content_id, e.timestamp, \(unsafeRaw: timeSpentColumn) AS spent
            FROM player_progress_events e JOIN experience_progress p ON p.id = e.experience_progress_id
            JOIN player_profiles f ON f.id = p.player_id
            WHERE f.user_id = \(bind: userID) AND e.content_id IS NOT NULL
            """).all()
        var byProgress: [String: (experience: String, kind: String, events: [(type: String, content: String?, at: Date, time: Double)])] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            let experience = try row.decode(column: "experience_id", as: String.self)
            let kind = try row.decode(column: "kind", as: String.self)
            byProgress[id, default: (experience, kind, [])].events.append((try row.decode(column: "event_type", as: String.self), try row.decode(column: "content_id", as: String?.self),
                                try row.decode(column: "timestamp", as: Date.self), max(0, try row.decode(column: "spent", as: Double?.self) ?? 0)))
        }
        for (_, progress) in byProgress {
            for (key, tally) in Self.tallies(progress.events) {
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

    /// Recomputes every roll-up from the event log (the migration's backfill; `playtest` has no other caller).
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
