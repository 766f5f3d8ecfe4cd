import Foundation
import PlaytestCore
import SQLKit

/// One finished test episode with what it was played with: the rows every analysis figure is computed from.
public struct AnalysisEpisode: Sendable {
    public var runID: String
    public var mapID: UUID
    public var mapName: String
    public var agent: String
    public var checkpoint: String?
    /// The run's request params as stored (skill, god_mode, …).
    public var params: String
    public var metrics: EpisodeMetrics
}

/// Which episodes an analysis reads.
public struct AnalysisFilter: Sendable, Hashable {
    public var mapIDs: [UUID]?
    public var mapName: String?
    public var agents: [String]?
    public var checkpoints: [String]?

    public init(mapIDs: [UUID]? = nil, mapName: String? = nil, agents: [String]? = nil, checkpoints: [String]? = nil) {
        self.mapIDs = mapIDs
        self.mapName = mapName
        self.agents = agents
        self.checkpoints = checkpoints
    }
}

/// The platform's activity, counted in SQL.
public struct PlatformCounts: Sendable {
    public var maps: Int
    public var testRuns: Int
    public var trainingRuns: Int
    public var episodes: Int
    public var exits: Int
    /// Game time played in test episodes, in seconds.
    public var agentSeconds: Double
    /// Day (`YYYY-MM-DD`, UTC) → runs started, and test episodes finished and exited.
    public var runsPerDay: [String: Int]
    public var episodesPerDay: [String: (episodes: Int, exits: Int)]
    /// Event type → how often (the ones that are findings: stuck, out of bounds).
    public var findingEvents: [String: Int]
    /// Static map-check findings by severity, over every map in the library.
    public var mapFindings: [String: Int]
    /// The findings store's kinds over every map, the most findings first (at most 10).
    public var findingKinds: [(kind: String, findings: Int)] = []
    public var busiestMaps: [(id: UUID, name: String, uploadedAt: Date?, runs: Int)]
}

/// Reads for the analysis service: test episodes with their runs, and platform-wide counts.
public struct AnalysisStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    /// Finished episodes of test runs matching `filter`: the figures an analysis adds up, read from their columns
    /// (`EpisodeFigureColumns`), not the episodes' JSON.
    /// How many findings the test runs of one upload sighted on one of its maps.
    public func playFindings(mapID: String, level: String) async throws -> Int {
        try await sql.sql.raw("""
            SELECT COUNT(DISTINCT s.finding_id) AS n FROM finding_sightings s JOIN findings f ON f.id = s.finding_id
            WHERE s.map_id = \(bind: mapID) AND s.run_id IS NOT NULL AND f.level = \(bind: level)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Whether a checkpoint reference names a stored checkpoint or one some test run played.
    public func checkpointIsKnown(_ reference: String) async throws -> Bool {
        try await sql.sql.raw("""
            SELECT 1 AS one FROM checkpoints WHERE id = \(bind: reference)
            UNION ALL SELECT 1 AS one FROM runs WHERE checkpoint = \(bind: reference) LIMIT 1
            """).first() != nil
    }

    public func episodes(_ filter: AnalysisFilter) async throws -> [AnalysisEpisode] {
        var query = SQLQueryString("""
            SELECT r.id, r.map_id, r.map_name, r.agent, r.checkpoint, r.params, e.episode_num,
                   e.exit_reached, e.duration_seconds, e.kills, e.deaths, e.health_lost, e.coverage
            FROM run_episodes e JOIN runs r ON r.id = e.run_id WHERE r.kind = 'testing'
            """)
        if let ids = filter.mapIDs { query = query + " AND r.map_id IN (\(binds: ids))" }
        if let name = filter.mapName { query = query + " AND r.map_name = \(bind: name)" }
        if let agents = filter.agents { query = query + " AND r.agent IN (\(binds: agents))" }
        if let checkpoints = filter.checkpoints { query = query + " AND r.checkpoint IN (\(binds: checkpoints))" }
        let rows = try await sql.sql.raw(query).all()
        return try rows.map { row in
            AnalysisEpisode(
                runID: try row.decode(column: "id", as: String.self), mapID: try row.decode(column: "map_id", as: UUID.self),
                mapName: try row.decode(column: "map_name", as: String.self), agent: try row.decode(column: "agent", as: String.self),
                checkpoint: try row.decode(column: "checkpoint", as: String?.self), params: try row.decode(column: "params", as: String.self),
                metrics: EpisodeMetrics(
                    episodeNum: try row.decode(column: "episode_num", as: Int.self), kills: try row.decode(column: "kills", as: Int.self),
                    deaths: try row.decode(column: "deaths", as: Int.self), durationSeconds: try row.decode(column: "duration_seconds", as: Double.self),
                    healthLost: try row.decode(column: "health_lost", as: Int.self), ammoUsed: 0, finalHealth: 0,
                    exitReached: try row.decode(column: "exit_reached", as: Bool.self), coverage: try row.decode(column: "coverage", as: Double?.self)))
        }
    }

    /// Counts over the whole platform; `days` of daily series, ending today (UTC).
    public func counts(days: Int) async throws -> PlatformCounts {
        let postgres = sql.dialect == .postgres
        let duration = "e.duration_seconds"
        let exit = postgres ? "CASE WHEN e.exit_reached THEN 1 ELSE 0 END" : "e.exit_reached"
        let day = { (column: String) in postgres ? "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "date(\(column), 'unixepoch')" }
        let since = Date().addingTimeInterval(-Double(days) * 86400)
        let db = sql.sql

        async let maps = db.raw("SELECT COUNT(*) AS n FROM maps").first()?.decode(column: "n", as: Int.self)
        let runRows = try await db.raw("SELECT kind, COUNT(*) AS n FROM runs GROUP BY kind").all()
        let totals = try await db.raw("""
            SELECT COUNT(*) AS n, COALESCE(SUM(\(unsafeRaw: exit)), 0) AS exits, COALESCE(SUM(\(unsafeRaw: duration)), 0) AS seconds
            FROM run_episodes e
            """).first()
        let perDayRuns = try await db.raw("""
            SELECT \(unsafeRaw: day("created_at")) AS day, COUNT(*) AS n FROM runs WHERE created_at >= \(bind: since) GROUP BY 1
            """).all()
        let perDayEpisodes = try await db.raw("""
            SELECT \(unsafeRaw: day("e.created_at")) AS day, COUNT(*) AS n, COALESCE(SUM(\(unsafeRaw: exit)), 0) AS exits
            FROM run_episodes e WHERE e.created_at >= \(bind: since) GROUP BY 1
            """).all()
        let events = try await db.raw("""
            SELECT type, COUNT(*) AS n FROM run_events WHERE type IN ('stuck', 'out_of_bounds') GROUP BY type
            """).all()
        // The counts over every map are kept under the map name and level '' (`finding_counts`).
        let kinds = try await db.raw("""
            SELECT kind, SUM(n) AS n FROM finding_counts WHERE map_name = '' AND level = ''
            GROUP BY kind HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, kind LIMIT 10
            """).all()
        let busiest = try await db.raw("""
            SELECT m.id, m.name, m.uploaded_at, COUNT(*) AS n FROM runs r JOIN maps m ON m.id = r.map_id
            GROUP BY m.id, m.name, m.uploaded_at ORDER BY n DESC, m.name LIMIT 10
            """).all()
        let summaries = try await db.raw("SELECT summaries FROM maps").all()

        var counts = PlatformCounts(
            maps: try await maps ?? 0, testRuns: 0, trainingRuns: 0, episodes: try totals?.decode(column: "n", as: Int.self) ?? 0,
            exits: try totals.map { try Self.integer($0, "exits") } ?? 0, agentSeconds: try totals?.decode(column: "seconds", as: Double.self) ?? 0,
            runsPerDay: [:], episodesPerDay: [:], findingEvents: [:], mapFindings: [:], busiestMaps: [])
        for row in runRows {
            let n = try row.decode(column: "n", as: Int.self)
            if try row.decode(column: "kind", as: String.self) == RunKind.training.rawValue { counts.trainingRuns = n } else { counts.testRuns = n }
        }
        for row in perDayRuns { counts.runsPerDay[try row.decode(column: "day", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        for row in perDayEpisodes {
            counts.episodesPerDay[try row.decode(column: "day", as: String.self)] = (try row.decode(column: "n", as: Int.self), try Self.integer(row, "exits"))
        }
        for row in events { counts.findingEvents[try row.decode(column: "type", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        counts.findingKinds = try kinds.map { (try $0.decode(column: "kind", as: String.self), try Self.integer($0, "n")) }
        counts.busiestMaps = try busiest.map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self),
             try $0.decode(column: "uploaded_at", as: Date?.self), try $0.decode(column: "n", as: Int.self))
        }
        for row in summaries {
            let maps = (try? StoredJSON.decode([MapSummary].self, from: try row.decode(column: "summaries", as: String.self), table: "maps")) ?? []
            for summary in maps {
                counts.mapFindings["error", default: 0] += summary.findings.error
                counts.mapFindings["warning", default: 0] += summary.findings.warning
                counts.mapFindings["info", default: 0] += summary.findings.info
            }
        }
        return counts
    }

    /// A SUM that SQLite answers as an integer and PostgreSQL as a numeric.
    static func integer(_ row: any SQLRow, _ column: String) throws -> Int {
        if let value = try? row.decode(column: column, as: Int.self) { return value }
        return Int(try row.decode(column: column, as: Double.self))
    }
}
