import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// A `player_profiles` row.
public struct PlayerProfileRecord: Sendable, Hashable {
    public var id: String
    public var userID: String
    /// `human`, or `agent` for the players the platform's agents are recorded as.
    public var kind: String
    public var totalExperiencesPlayed: Int
    public var totalPlaytimeSeconds: Int
    public var totalDistanceMeters: Double
    public var accountLevel: Int
    public var stats: JSONValue
    public var createdAt: Date
    public var updatedAt: Date
}

/// An `experience_progress` row; `version` is its optimistic-concurrency counter (the ETag).
public struct ExperienceProgressRecord: Sendable, Hashable {
    public var id: String
    public var playerID: String
    public var experienceID: String
    public var startedAt: Date?
    public var completedAt: Date?
    public var lastPlayedAt: Date?
    public var playtimeSeconds: Int
    public var completionPercentage: Double
    public var currentLocation: String?
    public var state: JSONValue
    public var version: Int
    /// Sum of the events' `data.distance_traveled` (the experience's distance leaderboard).
    public var distanceMeters: Double = 0
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, playerID: String, experienceID: String, startedAt: Date?, completedAt: Date?, lastPlayedAt: Date?,
                playtimeSeconds: Int, completionPercentage: Double, currentLocation: String?, state: JSONValue, version: Int,
                distanceMeters: Double = 0, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.playerID = playerID
        self.experienceID = experienceID
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.lastPlayedAt = lastPlayedAt
        self.playtimeSeconds = playtimeSeconds
        self.completionPercentage = completionPercentage
        self.currentLocation = currentLocation
        self.state = state
        self.version = version
        self.distanceMeters = distanceMeters
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A `player_progress_events` row.
public struct ProgressEventRecord: Sendable, Hashable {
    public var id: String
    public var eventType: String
    public var contentID: String?
    public var data: JSONValue
    public var locationLat: Double?
    public var locationLng: Double?
    public var timestamp: Date
    /// The client's id for the event, which makes a repeated append a no-op.
    public var clientEventID: String?

    public init(id: String, eventType: String, contentID: String?, data: JSONValue, locationLat: Double?, locationLng: Double?,
                timestamp: Date, clientEventID: String?) {
        self.id = id
        self.eventType = eventType
        self.contentID = contentID
        self.data = data
        self.locationLat = locationLat
        self.locationLng = locationLng
        self.timestamp = timestamp
        self.clientEventID = clientEventID
    }
}

/// Seed 002's tables (docs/player-progress.md). JSON columns are JSONB on PostgreSQL and text on SQLite; this store
/// hides the difference. A state write names the version it replaces and fails, changing nothing, when another write
/// came first.
public struct PlayerProgressStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) {
        self.engine = sql
    }

    var sql: any SQLDatabase { engine.sql }
    private var isPostgres: Bool { engine.dialect == .postgres }

    /// A JSON value bound for a JSON column.
    private func json(_ value: JSONValue) throws -> SQLQueryString {
        let text = try PlaytestJSON.string(value)
        return isPostgres ? "CAST(\(bind: text) AS JSONB)" : "\(bind: text)"
    }

    /// A JSON column read back as text.
    private func column(_ name: String) -> String { isPostgres ? "\(name)::text AS \(name)" : name }

    private static func decodeJSON(_ row: any SQLRow, _ column: String) throws -> JSONValue {
        guard let text = try row.decode(column: column, as: String?.self) else { return [:] }
        return try PlaytestJSON.decode(JSONValue.self, from: text)
    }

    // MARK: profiles

    /// The user's profile, made on first use (`kind` is the new profile's: `human` or `agent`).
    public func ensureProfile(userID: String, kind: String = "human") async throws -> PlayerProfileRecord {
        if let profile = try await profile(userID: userID) { return profile }
        let now = Date()
        try await sql.raw("""
            INSERT INTO player_profiles (id, user_id, kind, stats, created_at, updated_at)
            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: userID), \(bind: kind), \(try json([:])), \(bind: now), \(bind: now))
            ON CONFLICT (user_id) DO NOTHING
            """).run()
        guard let profile = try await profile(userID: userID) else { throw StorageError.missingRow("player_profiles for \(userID)") }
        return profile
    }

    public func profile(userID: String) async throws -> PlayerProfileRecord? {
        try await sql.raw("""
            SELECT id, user_id, kind, total_experiences_played, total_playtime_seconds, total_distance_meters, account_level,
                   \(unsafeRaw: column("stats")), created_at, updated_at
            FROM player_profiles WHERE user_id = \(bind: userID)
            """).first().map { row in
            PlayerProfileRecord(
                id: try row.decode(column: "id", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
                kind: try row.decode(column: "kind", as: String.self),
                totalExperiencesPlayed: try row.decode(column: "total_experiences_played", as: Int?.self) ?? 0,
                totalPlaytimeSeconds: try row.decode(column: "total_playtime_seconds", as: Int?.self) ?? 0,
                totalDistanceMeters: try row.decode(column: "total_distance_meters", as: Double?.self) ?? 0,
                accountLevel: try row.decode(column: "account_level", as: Int?.self) ?? 1, stats: try Self.decodeJSON(row, "stats"),
                createdAt: try row.decode(column: "created_at", as: Date?.self) ?? Date(),
                updatedAt: try row.decode(column: "updated_at", as: Date?.self) ?? Date())
        }
    }

    /// Replaces the profile's level and stats (the totals are the platform's to keep).
    public func updateProfile(userID: String, accountLevel: Int, stats: JSONValue) async throws {
        try await sql.raw("""
            UPDATE player_profiles SET account_level = \(bind: accountLevel), stats = \(try json(stats)), updated_at = \(bind: Date())
            WHERE user_id = \(bind: userID)
            """).run()
    }

    /// Recomputes the profile's totals from its experiences and events.
    public func refreshTotals(playerID: String) async throws {
        let distance = isPostgres ? "(e.data->>'distance_traveled')::float8" : "json_extract(e.data, '$.distance_traveled')"
        try await sql.raw("""
            UPDATE player_profiles SET
                total_experiences_played = (SELECT COUNT(*) FROM experience_progress WHERE player_id = \(bind: playerID)),
                total_playtime_seconds = (SELECT COALESCE(SUM(playtime_seconds), 0) FROM experience_progress WHERE player_id = \(bind: playerID)),
                total_distance_meters = (SELECT COALESCE(SUM(\(unsafeRaw: distance)), 0) FROM player_progress_events e
                                         JOIN experience_progress p ON p.id = e.experience_progress_id WHERE p.player_id = \(bind: playerID)),
                updated_at = \(bind: Date())
            WHERE id = \(bind: playerID)
            """).run()
    }

    // MARK: experiences

    private var progressColumns: String {
        "id, player_id, experience_id, started_at, completed_at, last_played_at, playtime_seconds, completion_percentage, "
            + "current_location, \(column("state")), version, distance_meters, created_at, updated_at"
    }

    public func progress(playerID: String, experienceID: String) async throws -> ExperienceProgressRecord? {
        try await sql.raw("""
            SELECT \(unsafeRaw: progressColumns) FROM experience_progress
            WHERE player_id = \(bind: playerID) AND experience_id = \(bind: experienceID)
            """).first().map(Self.progress(from:))
    }

    public func progresses(playerID: String) async throws -> [ExperienceProgressRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: progressColumns) FROM experience_progress WHERE player_id = \(bind: playerID) ORDER BY experience_id
            """).all().map(Self.progress(from:))
    }

    /// The experience the player played last (to resume a session).
    public func latestProgress(playerID: String) async throws -> ExperienceProgressRecord? {
        try await sql.raw("""
            SELECT \(unsafeRaw: progressColumns) FROM experience_progress WHERE player_id = \(bind: playerID)
            ORDER BY last_played_at DESC LIMIT 1
            """).first().map(Self.progress(from:))
    }

    /// The players who went furthest in the experience, furthest first.
    public func distanceLeaders(experienceID: String, limit: Int) async throws -> [(userID: String, distance: Double)] {
        try await sql.raw("""
            SELECT f.user_id, p.distance_meters FROM experience_progress p JOIN player_profiles f ON f.id = p.player_id
            WHERE p.experience_id = \(bind: experienceID) AND p.distance_meters > 0
            ORDER BY p.distance_meters DESC, f.user_id LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "user_id", as: String.self), try $0.decode(column: "distance_meters", as: Double.self)) }
    }

    /// 1 + the players of the experience who went further than `distance`.
    public func distanceRank(experienceID: String, distance: Double) async throws -> Int {
        1 + (try await sql.raw("""
            SELECT COUNT(*) AS n FROM experience_progress WHERE experience_id = \(bind: experienceID) AND distance_meters > \(bind: distance)
            """).first()?.decode(column: "n", as: Int.self) ?? 0)
    }

    private static func progress(from row: any SQLRow) throws -> ExperienceProgressRecord {
        ExperienceProgressRecord(
            id: try row.decode(column: "id", as: String.self), playerID: try row.decode(column: "player_id", as: String.self),
            experienceID: try row.decode(column: "experience_id", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Date?.self), completedAt: try row.decode(column: "completed_at", as: Date?.self),
            lastPlayedAt: try row.decode(column: "last_played_at", as: Date?.self),
            playtimeSeconds: try row.decode(column: "playtime_seconds", as: Int?.self) ?? 0,
            completionPercentage: try row.decode(column: "completion_percentage", as: Double?.self) ?? 0,
            currentLocation: try row.decode(column: "current_location", as: String?.self), state: try decodeJSON(row, "state"),
            version: try row.decode(column: "version", as: Int.self),
            distanceMeters: try row.decode(column: "distance_meters", as: Double?.self) ?? 0, createdAt: try row.decode(column: "created_at", as: Date?.self) ?? Date(),
            updatedAt: try row.decode(column: "updated_at", as: Date?.self) ?? Date())
    }

    /// Writes the record if the stored version is still `record.version - 1` (0: no row yet); false, changing
    /// nothing, when another write came first.
    public func save(_ record: ExperienceProgressRecord) async throws -> Bool {
        try await save(record, on: sql)
    }

    private func save(_ record: ExperienceProgressRecord, on sql: any SQLDatabase) async throws -> Bool {
        let state = try json(record.state)
        if record.version == 1 {
            let inserted = try await sql.raw("""
                INSERT INTO experience_progress (id, player_id, experience_id, started_at, completed_at, last_played_at, playtime_seconds,
                    completion_percentage, current_location, state, version, distance_meters, created_at, updated_at)
                VALUES (\(bind: record.id), \(bind: record.playerID), \(bind: record.experienceID), \(bind: record.startedAt),
                    \(bind: record.completedAt), \(bind: record.lastPlayedAt), \(bind: record.playtimeSeconds), \(bind: record.completionPercentage),
                    \(bind: record.currentLocation), \(state), 1, \(bind: record.distanceMeters), \(bind: record.createdAt), \(bind: record.updatedAt))
                ON CONFLICT (player_id, experience_id) DO NOTHING RETURNING id
                """).first()
            return inserted != nil
        }
        let updated = try await sql.raw("""
            UPDATE experience_progress SET started_at = \(bind: record.startedAt), completed_at = \(bind: record.completedAt),
                last_played_at = \(bind: record.lastPlayedAt), playtime_seconds = \(bind: record.playtimeSeconds),
                completion_percentage = \(bind: record.completionPercentage), current_location = \(bind: record.currentLocation),
                state = \(state), version = \(bind: record.version), distance_meters = \(bind: record.distanceMeters),
                updated_at = \(bind: record.updatedAt)
            WHERE id = \(bind: record.id) AND version = \(bind: record.version - 1) RETURNING id
            """).first()
        return updated != nil
    }

    // MARK: events

    /// What ``commit(_:to:kind:change:)`` stored.
    public struct Committed: Sendable {
        public var stored: [ProgressEventRecord]
        public var record: ExperienceProgressRecord
    }

    private struct VersionConflict: Error {}

    /// Appends events to an experience and saves its progress as `change` makes it from the events actually stored
    /// (one whose client id the experience already has is skipped), in one transaction with the profile's totals and the
    /// events' place in the roll-up queue (``foldRollups(limit:)`` adds them to the analytics). `progress` is the record
    /// as read (version 0: none yet). nil, with nothing written, when another write changed the progress since it was read.
    public func commit(_ events: [ProgressEventRecord], to progress: ExperienceProgressRecord,
                       change: @escaping @Sendable ([ProgressEventRecord], inout ExperienceProgressRecord) throws -> Void) async throws -> Committed? {
        let isPostgres = self.isPostgres
        do {
            return try await engine.transaction { database in
                let sql = try RunColumnTypes(database).sql
                var record = progress
                let isNew = record.version == 0
                if isNew {
                    record.version = 1
                    guard try await save(record, on: sql) else { throw VersionConflict() }
                }
                let stored = try await insert(events, progressID: record.id, on: sql)
                try change(stored, &record)
                let distance = stored.map { Self.number($0.data, "distance_traveled") }.reduce(0, +)
                record.distanceMeters += distance
                record.version += 1
                guard try await save(record, on: sql) else { throw VersionConflict() }
                try await ProgressRollups(sql: sql, isPostgres: isPostgres).queue(stored)
                try await sql.raw("""
                    UPDATE player_profiles SET total_experiences_played = total_experiences_played + \(bind: isNew ? 1 : 0),
                        total_distance_meters = total_distance_meters + \(bind: distance), updated_at = \(bind: record.updatedAt)
                    WHERE id = \(bind: record.playerID)
                    """).run()
                return Committed(stored: stored, record: record)
            }
        } catch is VersionConflict {
            return nil
        }
    }

    /// A finite number at `data.key`, else 0.
    static func number(_ data: JSONValue, _ key: String) -> Double {
        if case .object(let members) = data, case .number(let number)? = members[key], number.double.isFinite { return number.double }
        return 0
    }

    /// One multi-row insert; returns the events stored (those not already there by client id).
    private func insert(_ events: [ProgressEventRecord], progressID: String, on sql: any SQLDatabase) async throws -> [ProgressEventRecord] {
        guard !events.isEmpty else { return [] }
        var values: [SQLQueryString] = []
        for event in events {
            values.append("""
                (\(bind: event.id), \(bind: progressID), \(bind: event.eventType), \(bind: event.contentID), \(try json(event.data)),
                 \(bind: event.locationLat), \(bind: event.locationLng), \(bind: event.timestamp), \(bind: event.clientEventID))
                """)
        }
        let rows = try await sql.raw("""
            INSERT INTO player_progress_events (id, experience_progress_id, event_type, content_id, data, location_lat, location_lng,
                timestamp, client_event_id)
            VALUES \(values.joined(separator: ", "))
            ON CONFLICT DO NOTHING RETURNING id
            """).all()
        let ids = Set(try rows.map { try $0.decode(column: "id", as: String.self) })
        return events.filter { ids.contains($0.id) }
    }

    /// Events oldest first, from after the event `after` (a cursor: an event id), at most `limit`.
    public func events(progressID: String, after: String?, limit: Int) async throws -> [ProgressEventRecord] {
        var cursor: SQLQueryString = ""
        if let after {
            cursor = """
                AND (timestamp, id) > (SELECT timestamp, id FROM player_progress_events WHERE id = \(bind: after))
                """
        }
        return try await sql.raw("""
            SELECT id, event_type, content_id, \(unsafeRaw: column("data")), location_lat, location_lng, timestamp, client_event_id
            FROM player_progress_events WHERE experience_progress_id = \(bind: progressID) \(cursor)
            ORDER BY timestamp, id LIMIT \(bind: limit)
            """).all().map { row in
            ProgressEventRecord(
                id: try row.decode(column: "id", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                contentID: try row.decode(column: "content_id", as: String?.self), data: try Self.decodeJSON(row, "data"),
                locationLat: try row.decode(column: "location_lat", as: Double?.self), locationLng: try row.decode(column: "location_lng", as: Double?.self),
                timestamp: try row.decode(column: "timestamp", as: Date.self), clientEventID: try row.decode(column: "client_event_id", as: String?.self))
        }
    }

    /// Players who wrote progress since `since`.
    public func activePlayers(since: Date) async throws -> Int {
        try await sql.raw("SELECT COUNT(DISTINCT player_id) AS n FROM experience_progress WHERE last_played_at >= \(bind: since)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: privacy

    /// Deletes the user's profile and, by cascade, every experience and event of it; true when there was one.
    public func deleteAll(userID: String) async throws -> Bool {
        try await underRollupLock { rollups in
            try await rollups.remove(userID: userID)
            return try await rollups.sql.raw("DELETE FROM player_profiles WHERE user_id = \(bind: userID) RETURNING id").first() != nil
        }
    }

    /// Runs `body` in one transaction holding the roll-ups' lock (folds, deletes and rebuilds take turns).
    private func underRollupLock<T: Sendable>(_ body: @escaping @Sendable (ProgressRollups) async throws -> T) async throws -> T {
        let isPostgres = self.isPostgres
        return try await engine.transaction { database in
            let rollups = ProgressRollups(sql: try RunColumnTypes(database).sql, isPostgres: isPostgres)
            try await rollups.lock()
            return try await body(rollups)
        }
    }

    /// Recomputes the analytics roll-ups from the event log (after a bulk load that bypassed ``commit``); the queue is
    /// then empty. On PostgreSQL the roll-up tables are analyzed after: planned with the statistics of the tables before
    /// (empty, after a bulk load), the fold's lookup of a batch's players read the wrong index, 86,000 rows a player
    /// (9-37 s a batch with 100,000 players), and the analytics reads that fold first timed out.
    public func rebuildRollups() async throws {
        try await underRollupLock { rollups in
            try await rollups.emptyQueue()
            try await rollups.rebuild()
        }
        if isPostgres {
            try await sql.raw("ANALYZE progress_content_hourly, progress_content_players, progress_content_totals").run()
        }
    }

    /// Adds up to `limit` queued events to the analytics roll-ups in one transaction; how many it folded (0 at once
    /// when none wait).
    public func foldRollups(limit: Int = 1000) async throws -> Int {
        guard try await ProgressRollups(sql: sql, isPostgres: isPostgres).hasQueued() else { return 0 }
        return try await underRollupLock { rollups in try await rollups.fold(limit: limit) }
    }

    /// Events stored but not yet in the analytics roll-ups.
    public func rollupBacklog() async throws -> Int {
        try await ProgressRollups(sql: sql, isPostgres: isPostgres).backlog()
    }
}
