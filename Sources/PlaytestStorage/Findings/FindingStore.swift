import Foundation
import PlaytestCore
import SQLKit

/// The findings of every map (``FindingRecord``): sightings clustered into findings, the triage, the comments.
public struct FindingStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) { self.engine = sql }

    /// The first key of the PostgreSQL advisory lock that serialises recordings of one map ("fnd").
    static let lockNamespace: Int32 = 0x66_6E64

    var sql: any SQLDatabase { engine.sql }

    /// Records what one map version (`runID` nil: its static checks and its plan) or one run showed. Each observation
    /// joins the nearest finding of its kind within ``FindingClusters/radius`` or starts one; a sighting already
    /// recorded (the same version's checks, the same run's event) is not counted again, so recording twice is
    /// recording once. Returns the number of new sightings.
    @discardableResult
    public func record(_ observations: [FindingObservation], mapName: String, level: String, mapID: String, runID: String?,
                       at now: Date = Date()) async throws -> Int {
        guard !observations.isEmpty else { return 0 }
        let postgres = engine.dialect == .postgres
        return try await engine.transaction { database in
            let sql = try RunColumnTypes(database).sql
            if postgres {
                // Read committed lets two recordings of one map both find no finding near a place and both start one:
                // they take turns per map and level (SQLite's immediate transactions take turns already).
                try await sql.raw("""
                    SELECT pg_advisory_xact_lock(\(literal: Self.lockNamespace), hashtext(\(bind: mapName + "\u{1F}" + level)))
                    """).run()
            }
            let rows = try await sql.raw("""
                SELECT id, kind, x, y FROM findings WHERE map_name = \(bind: mapName) AND level = \(bind: level)
                """).all()
            var places: [String: [(id: String, x: Double, y: Double)]] = [:]
            for row in rows {
                places[try row.decode(column: "kind", as: String.self), default: []].append(
                    (try row.decode(column: "id", as: String.self), try row.decode(column: "x", as: Double.self),
                     try row.decode(column: "y", as: Double.self)))
            }
            var added = 0
            for observation in observations {
                let id: String
                if let match = FindingClusters.match(places[observation.kind] ?? [], x: observation.x, y: observation.y) {
                    id = match
                } else {
                    id = "fnd_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
                    try await sql.raw("""
                        INSERT INTO findings (\(unsafeRaw: FindingRecord.columns), severity_rank)
                        VALUES (\(bind: id), \(bind: mapName), \(bind: level), \(bind: observation.kind), \(bind: observation.severity.rawValue),
                                \(bind: observation.source.rawValue), \(bind: observation.message), \(bind: observation.x), \(bind: observation.y),
                                \(bind: observation.sector), \(bind: observation.line), \(bind: FindingStatus.open.rawValue), NULL, NULL,
                                \(bind: now), \(bind: now), 0, \(bind: mapID), NULL, NULL, NULL, \(bind: observation.severity.rank))
                        """).run()
                    try await Self.count(1, mapName: mapName, level: level, kind: observation.kind, severity: observation.severity.rawValue,
                                         status: FindingStatus.open.rawValue, on: sql)
                    places[observation.kind, default: []].append((id, observation.x, observation.y))
                }
                let sighting = runID.map { "run:\($0):\(observation.episode ?? 0):\(observation.tic ?? 0)" } ?? "map:\(mapID)"
                let inserted = try await sql.raw("""
                    INSERT INTO finding_sightings (finding_id, sighting, map_id, run_id, episode, tic, x, y, seen_at)
                    VALUES (\(bind: id), \(bind: sighting), \(bind: mapID), \(bind: runID), \(bind: observation.episode), \(bind: observation.tic),
                            \(bind: observation.x), \(bind: observation.y), \(bind: now))
                    ON CONFLICT DO NOTHING RETURNING finding_id
                    """).all()
                guard !inserted.isEmpty else { continue }
                added += 1
                try await sql.raw("""
                    UPDATE findings SET occurrences = occurrences + 1, last_seen = \(bind: now), last_map_id = \(bind: mapID),
                        last_run_id = \(bind: runID), last_episode = \(bind: observation.episode), last_tic = \(bind: observation.tic),
                        message = \(bind: observation.message)
                    WHERE id = \(bind: id)
                    """).run()
            }
            return added
        }
    }

    /// Adds `delta` to the count of findings with these values (`finding_counts`), and to the count over every map,
    /// on the transaction's connection.
    static func count(_ delta: Int, mapName: String, level: String, kind: String, severity: String, status: String,
                      on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO finding_counts (map_name, level, kind, severity, status, n)
            VALUES (\(bind: mapName), \(bind: level), \(bind: kind), \(bind: severity), \(bind: status), \(bind: delta)),
                   ('', '', \(bind: kind), \(bind: severity), \(bind: status), \(bind: delta))
            ON CONFLICT (map_name, level, kind, severity, status) DO UPDATE SET n = finding_counts.n + excluded.n
            """).run()
    }

    /// Whether this map version's static checks were recorded already (any sighting of the version without a run).
    public func hasMapSightings(mapID: String, level: String) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS one FROM finding_sightings s JOIN findings f ON f.id = s.finding_id
            WHERE s.map_id = \(bind: mapID) AND s.run_id IS NULL AND f.level = \(bind: level) LIMIT 1
            """).first() != nil
    }

    /// The filter as SQL, and whether it is known to match more than `countLimit` findings. A text matches a message
    /// through its trigram index (``FindingTextIndex``, `messageMatch`), or the name of a kind: the few kinds known are
    /// matched first, so that the message's index serves the list alone (PostgreSQL scanned every finding for
    /// `message LIKE … OR kind IN (SELECT …)`).
    private func whereClause(_ filter: FindingFilter, countLimit: Int) async throws -> (clause: SQLQueryString, knownMore: Bool) {
        var clause = SQLQueryString("WHERE 1 = 1")
        if let name = filter.mapName { clause = clause + " AND map_name = \(bind: name)" }
        if let level = filter.level { clause = clause + " AND level = \(bind: level)" }
        if let kind = filter.kind { clause = clause + " AND kind = \(bind: kind)" }
        if let severity = filter.severity { clause = clause + " AND severity = \(bind: severity.rawValue)" }
        if let status = filter.status { clause = clause + " AND status = \(bind: status.rawValue)" }
        var knownMore = false
        if let text = filter.text?.lowercased(), !text.isEmpty {
            let pattern = "%" + MapStore.escapeLike(text) + "%"
            let kinds = try await sql.raw("""
                SELECT DISTINCT kind FROM finding_counts WHERE map_name = '' AND level = '' AND kind LIKE \(bind: pattern)
                """).all().map { try $0.decode(column: "kind", as: String.self) }
            let message = try await messageMatch(pattern, countLimit: countLimit, withKinds: !kinds.isEmpty)
            let alternatives = [message.condition].compactMap { $0 } + (kinds.isEmpty ? [] : ["kind IN (\(binds: kinds))"])
            clause = clause + " AND (" + (alternatives.isEmpty ? "0 = 1" : alternatives.joined(separator: " OR ")) + ")"
            knownMore = message.more && filter.mapName == nil && filter.level == nil && filter.kind == nil && filter.severity == nil
                && filter.status == nil && filter.runID == nil
        }
        if let run = filter.runID {
            clause = clause + " AND id IN (SELECT finding_id FROM finding_sightings WHERE run_id = \(bind: run))"
        }
        return (clause, knownMore)
    }

    /// How a message holding `pattern` is matched (nil: none does), and whether more than `countLimit` do.
    ///
    /// SQLite: a text that at most `countLimit` messages hold is matched by those rows' ids from the index (fetched at once
    /// when they are few, `rareMessages`, else counted first); a common one on each finding's own message, so that the
    /// page reads the list's index in order until it has its rows instead of sorting every match (a sixth of 100,000
    /// findings: 35 ms). Both are SQLite's `LIKE` (on the index's table it checks what the trigrams found), so they match
    /// the same messages. PostgreSQL chooses between its trigram index and the list's by itself; the index is asked only
    /// whether any message matches, beside a kind's name (which is then matched alone, from its index in the list's order).
    private func messageMatch(_ pattern: String, countLimit: Int, withKinds: Bool) async throws -> (condition: SQLQueryString?, more: Bool) {
        let indexed: SQLQueryString
        if engine.dialect == .postgres {
            indexed = "SELECT 1 AS one FROM findings WHERE LOWER(message) LIKE \(bind: pattern)"
            let none = withKinds ? try await sql.raw(indexed + " LIMIT 1").first() == nil : false
            return (none ? nil : "LOWER(message) LIKE \(bind: pattern)", false)
        }
        indexed = "SELECT rowid FROM finding_text WHERE message LIKE \(bind: pattern)"
        let rare = min(Self.rareMessages, countLimit)
        var ids = try await sql.raw(indexed + " LIMIT \(bind: rare + 1)").all().map { try $0.decode(column: "rowid", as: Int.self) }
        if ids.count > rare {
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM (" + indexed + " LIMIT \(bind: countLimit + 1)) AS m").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if count > countLimit { return ("message LIKE \(bind: pattern)", true) }
            ids = try await sql.raw(indexed).all().map { try $0.decode(column: "rowid", as: Int.self) }
        }
        return (ids.isEmpty ? nil : "text_id IN (\(binds: ids))", false)
    }

    /// At most this many messages are fetched from the index at once before counting them.
    private static let rareMessages = 50

    /// How many matches of a text search are counted: past it the counts are of the first this many (`exact` false), as
    /// a search engine says "500+". Counting every match of a common word took 30-70 ms a request (issue 14's figures).
    public static let textCountLimit = 500

    /// A page of findings, worst first (errors, then the most often seen, then the latest), with the filtered set's
    /// counts per kind and per severity: exact, but for a text search with more than `countLimit` matches, whose counts
    /// are of its first `countLimit` matches found (`exact` false).
    public func list(_ filter: FindingFilter, offset: Int, limit: Int, countLimit: Int = FindingStore.textCountLimit) async throws
        -> (records: [FindingRecord], total: Int, exact: Bool, kinds: [String: Int], severities: [String: Int]) {
        let (clause, knownMore) = try await whereClause(filter, countLimit: countLimit)
        let searched = !(filter.text ?? "").isEmpty
        // The counts from `finding_counts` where the filter is on its columns (over every map: its '' rows); a run's from
        // the findings; a text's from at most `countLimit` of them.
        let everyMap: SQLQueryString = filter.mapName == nil && filter.level == nil ? " AND map_name = '' AND level = ''" : " AND map_name <> ''"
        let counted = if searched {
            try await sql.raw("SELECT kind, severity, COUNT(*) AS n FROM (SELECT kind, severity FROM findings " + clause
                              + " LIMIT \(bind: countLimit)) AS matches GROUP BY kind, severity").all()
        } else if filter.runID == nil {
            try await sql.raw("SELECT kind, severity, CAST(SUM(n) AS BIGINT) AS n FROM finding_counts " + clause + everyMap
                              + " GROUP BY kind, severity HAVING SUM(n) > 0").all()
        } else {
            try await sql.raw("SELECT kind, severity, COUNT(*) AS n FROM findings " + clause + " GROUP BY kind, severity").all()
        }
        var kinds: [String: Int] = [:], severities: [String: Int] = [:], total = 0
        for row in counted {
            let n = try row.decode(column: "n", as: Int.self)
            kinds[try row.decode(column: "kind", as: String.self), default: 0] += n
            severities[try row.decode(column: "severity", as: String.self), default: 0] += n
            total += n
        }
        var exact = true
        if searched && total >= countLimit {
            exact = knownMore ? false
                : try await sql.raw("SELECT 1 AS one FROM findings " + clause + " LIMIT 1 OFFSET \(bind: countLimit)").first() == nil
        }
        let rows = try await sql.raw("SELECT \(unsafeRaw: FindingRecord.columns) FROM findings " + clause + """
             ORDER BY severity_rank, occurrences DESC, last_seen DESC, id
             LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(FindingRecord.init(row:)), total, exact, kinds, severities)
    }

    public func finding(id: String) async throws -> FindingRecord? {
        try await sql.raw("SELECT \(unsafeRaw: FindingRecord.columns) FROM findings WHERE id = \(bind: id)").first().map(FindingRecord.init(row:))
    }

    /// The latest sightings first, at most `limit`.
    public func sightings(findingID: String, limit: Int) async throws -> [FindingSighting] {
        try await sql.raw("""
            SELECT map_id, run_id, episode, tic, x, y, seen_at FROM finding_sightings WHERE finding_id = \(bind: findingID)
            ORDER BY seen_at DESC, sighting DESC LIMIT \(bind: limit)
            """).all().map { row in
            FindingSighting(mapID: try row.decode(column: "map_id", as: String.self), runID: try row.decode(column: "run_id", as: String?.self),
                            episode: try row.decode(column: "episode", as: Int?.self), tic: try row.decode(column: "tic", as: Int?.self),
                            x: try row.decode(column: "x", as: Double.self), y: try row.decode(column: "y", as: Double.self),
                            seenAt: try row.decode(column: "seen_at", as: Date.self))
        }
    }

    /// Where a run's play saw findings, with each finding's kind, severity and message: the sightings with an episode and
    /// a tic in time order (the moments a video of the run marks), then those of the run as a whole (missed secrets,
    /// unvisited areas).
    public func playSightings(runID: String) async throws -> [(finding: FindingRecord, sighting: FindingSighting)] {
        let columns = FindingRecord.columns.split(separator: ",").map { "f." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns.joined(separator: ", ")), s.map_id AS s_map_id, s.episode AS s_episode, s.tic AS s_tic,
                s.x AS s_x, s.y AS s_y, s.seen_at AS s_seen_at
            FROM finding_sightings s JOIN findings f ON f.id = s.finding_id
            WHERE s.run_id = \(bind: runID) ORDER BY s.tic IS NULL, s.episode, s.tic, s.sighting
            """).all().map { row in
            (try FindingRecord(row: row), FindingSighting(
                mapID: try row.decode(column: "s_map_id", as: String.self), runID: runID,
                episode: try row.decode(column: "s_episode", as: Int?.self), tic: try row.decode(column: "s_tic", as: Int?.self),
                x: try row.decode(column: "s_x", as: Double.self), y: try row.decode(column: "s_y", as: Double.self),
                seenAt: try row.decode(column: "s_seen_at", as: Date.self)))
        }
    }

    public struct Seen: Sendable, Hashable {
        public var finding: String
        public var map: String

        public init(finding: String, map: String) {
            self.finding = finding
            self.map = map
        }
    }

    /// Which of `findingIDs` were seen in which of the map versions `mapIDs`.
    public func seen(_ findingIDs: [String], inMaps mapIDs: [String]) async throws -> Set<Seen> {
        guard !findingIDs.isEmpty, !mapIDs.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT DISTINCT finding_id, map_id FROM finding_sightings WHERE finding_id IN (\(binds: findingIDs)) AND map_id IN (\(binds: mapIDs))
            """).all()
        return Set(try rows.map { Seen(finding: try $0.decode(column: "finding_id", as: String.self), map: try $0.decode(column: "map_id", as: String.self)) })
    }

    /// Of `mapIDs`, the versions whose static checks were recorded (for any level).
    public func checkedMaps(_ mapIDs: [String]) async throws -> Set<String> {
        guard !mapIDs.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT DISTINCT map_id FROM finding_sightings WHERE map_id IN (\(binds: mapIDs)) AND run_id IS NULL
            """).all()
        return Set(try rows.map { try $0.decode(column: "map_id", as: String.self) })
    }

    public func comments(findingID: String) async throws -> [FindingComment] {
        try await sql.raw("""
            SELECT id, user_id, author, body, created_at FROM finding_comments WHERE finding_id = \(bind: findingID) ORDER BY created_at, id
            """).all().map { row in
            FindingComment(id: try row.decode(column: "id", as: String.self), userID: try row.decode(column: "user_id", as: String?.self),
                           author: try row.decode(column: "author", as: String.self), body: try row.decode(column: "body", as: String.self),
                           createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    /// The triage change and the comment in one transaction; nil status or comment leaves that part alone.
    public func triage(findingID: String, status: FindingStatus?, comment: String?, userID: String?, author: String, at now: Date = Date()) async throws {
        try await engine.transaction { database in
            let sql = try RunColumnTypes(database).sql
            if let status, let row = try await sql.raw("""
                SELECT map_name, level, kind, severity, status FROM findings WHERE id = \(bind: findingID)
                """).first() {
                let was = try row.decode(column: "status", as: String.self)
                // Changed only from the status read: a concurrent triage in between leaves this one undone, and the counts true.
                let changed = try await sql.raw("""
                    UPDATE findings SET status = \(bind: status.rawValue), status_by = \(bind: userID), status_at = \(bind: now)
                    WHERE id = \(bind: findingID) AND status = \(bind: was) RETURNING id
                    """).first() != nil
                if changed, was != status.rawValue {
                    let mapName = try row.decode(column: "map_name", as: String.self), level = try row.decode(column: "level", as: String.self)
                    let kind = try row.decode(column: "kind", as: String.self), severity = try row.decode(column: "severity", as: String.self)
                    try await Self.count(-1, mapName: mapName, level: level, kind: kind, severity: severity, status: was, on: sql)
                    try await Self.count(1, mapName: mapName, level: level, kind: kind, severity: severity, status: status.rawValue, on: sql)
                }
            }
            if let comment {
                let id = "cmt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
                try await sql.raw("""
                    INSERT INTO finding_comments (id, finding_id, user_id, author, body, created_at)
                    VALUES (\(bind: id), \(bind: findingID), \(bind: userID), \(bind: author), \(bind: comment), \(bind: now))
                    """).run()
            }
        }
    }

    /// A deleted user's traces: their comments go, and the statuses they set keep no name.
    public func forget(userID: String) async throws {
        try await sql.raw("DELETE FROM finding_comments WHERE user_id = \(bind: userID)").run()
        try await sql.raw("UPDATE findings SET status_by = NULL WHERE status_by = \(bind: userID)").run()
    }
}
