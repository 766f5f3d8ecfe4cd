import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// One owner's record on a board in one period.
public struct LeaderboardRecord: Sendable, Hashable {
    public var owner: String
    public var score: Double
    /// How many submissions made it.
    public var writes: Int
    public var metadata: [String: String]
    public var updatedAt: Date
}

/// `leaderboards`, `leaderboard_records` and `leaderboard_writes`: the truth the Redis sorted sets are rebuilt from.
/// A period is the reset schedule's period start in Unix seconds, 0 for a board that never resets.
public struct LeaderboardStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) {
        self.engine = sql
    }

    var sql: any SQLDatabase { engine.sql }

    // MARK: boards

    /// Creates the board unless it exists (a board's definition never changes once made).
    public func define(_ board: LeaderboardDefinition, mapID: String? = nil) async throws {
        try await sql.raw("""
            INSERT INTO leaderboards (id, title, sort_order, operator, reset_schedule, metadata, map_id, created_at)
            VALUES (\(bind: board.id), \(bind: board.title), \(bind: board.sortOrder.rawValue), \(bind: board.operator.rawValue),
                    \(bind: board.resetSchedule?.expression), \(bind: try StoredJSON.encode(board.metadata)), \(bind: mapID), \(bind: Date()))
            ON CONFLICT DO NOTHING
            """).run()
    }

    public func board(id: String) async throws -> LeaderboardDefinition? {
        try await sql.raw("SELECT \(unsafeRaw: Self.boardColumns) FROM leaderboards WHERE id = \(bind: id)").first().map(Self.board(from:))
    }

    /// Every board, the global ones first, then by title; only one map's when `mapID` is given.
    public func boards(mapID: String? = nil) async throws -> [LeaderboardDefinition] {
        let filter: SQLQueryString = mapID.map { "WHERE map_id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.boardColumns) FROM leaderboards \(filter) ORDER BY CASE WHEN map_id IS NULL THEN 0 ELSE 1 END, title, id
            """).all().map(Self.board(from:))
    }

    private static let boardColumns = "id, title, sort_order, operator, reset_schedule, metadata"

    private static func board(from row: any SQLRow) throws -> LeaderboardDefinition {
        let id = try row.decode(column: "id", as: String.self)
        guard let order = LeaderboardDefinition.SortOrder(rawValue: try row.decode(column: "sort_order", as: String.self)),
              let op = LeaderboardDefinition.Operator(rawValue: try row.decode(column: "operator", as: String.self)) else {
            throw StorageError.corrupt(table: "leaderboards", detail: "board \(id) has an unknown sort order or operator")
        }
        let schedule = try row.decode(column: "reset_schedule", as: String?.self).map { try CronSchedule($0) }
        return LeaderboardDefinition(
            id: id, title: try row.decode(column: "title", as: String.self), sortOrder: order, operator: op, resetSchedule: schedule,
            metadata: try StoredJSON.decode([String: String].self, from: try row.decode(column: "metadata", as: String.self), table: "leaderboards"))
    }

    // MARK: records

    /// Applies one submission in one transaction and returns the owner's record after it. A `writeID` the board has
    /// seen before changes nothing (a retried `incr` counts once) and returns the record as it is.
    public func submit(_ board: LeaderboardDefinition, period: Int64, owner: String, score: Double, writeID: String?,
                       metadata: [String: String]) async throws -> Double {
        let metadataJSON = try StoredJSON.encode(metadata)
        return try await engine.transaction { database in
            let sql = try RunColumnTypes(database).sql
            if let writeID {
                let fresh = try await sql.raw("""
                    INSERT INTO leaderboard_writes (board_id, write_id, applied_at) VALUES (\(bind: board.id), \(bind: writeID), \(bind: Date()))
                    ON CONFLICT DO NOTHING RETURNING write_id
                    """).first()
                if fresh == nil {
                    let row = try await sql.raw("""
                        SELECT score FROM leaderboard_records WHERE board_id = \(bind: board.id) AND period_start = \(bind: period) AND owner = \(bind: owner)
                        """).first()
                    return try row?.decode(column: "score", as: Double.self) ?? 0
                }
            }
            let better = board.sortOrder == .descending ? ">" : "<"
            let update: String = switch board.operator {
            case .best:
                """
                score = CASE WHEN excluded.score \(better) leaderboard_records.score THEN excluded.score ELSE leaderboard_records.score END,
                metadata = CASE WHEN excluded.score \(better) leaderboard_records.score THEN excluded.metadata ELSE leaderboard_records.metadata END
                """
            case .set: "score = excluded.score, metadata = excluded.metadata"
            case .incr, .decr: "score = leaderboard_records.score + excluded.score, metadata = excluded.metadata"
            }
            let first = board.operator == .decr ? -score : score
            guard let row = try await sql.raw("""
                INSERT INTO leaderboard_records (board_id, period_start, owner, score, writes, metadata, updated_at)
                VALUES (\(bind: board.id), \(bind: period), \(bind: owner), \(bind: first), 1, \(bind: metadataJSON), \(bind: Date()))
                ON CONFLICT (board_id, period_start, owner) DO UPDATE SET \(unsafeRaw: update),
                    writes = leaderboard_records.writes + 1, updated_at = excluded.updated_at
                RETURNING score
                """).first() else { throw StorageError.missingRow("leaderboard_records \(board.id)/\(owner)") }
            return try row.decode(column: "score", as: Double.self)
        }
    }

    /// Records by rank: best first, ties by owner the way Redis orders them (reverse byte order for a descending board).
    public func records(boardID: String, period: Int64, order: LeaderboardDefinition.SortOrder, offset: Int, limit: Int) async throws
        -> [LeaderboardRecord] {
        let direction = order == .descending ? "DESC" : "ASC"
        return try await sql.raw("""
            SELECT owner, score, writes, metadata, updated_at FROM leaderboard_records
            WHERE board_id = \(bind: boardID) AND period_start = \(bind: period)
            ORDER BY score \(unsafeRaw: direction), owner \(unsafeRaw: direction) LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Self.record(from:))
    }

    public func record(boardID: String, period: Int64, owner: String) async throws -> LeaderboardRecord? {
        try await sql.raw("""
            SELECT owner, score, writes, metadata, updated_at FROM leaderboard_records
            WHERE board_id = \(bind: boardID) AND period_start = \(bind: period) AND owner = \(bind: owner)
            """).first().map(Self.record(from:))
    }

    /// The record's rank (from 1) in the order ``records(boardID:period:order:offset:limit:)`` gives.
    public func rank(boardID: String, period: Int64, order: LeaderboardDefinition.SortOrder, of record: LeaderboardRecord) async throws -> Int {
        let better = order == .descending ? ">" : "<"
        let ahead = try await sql.raw("""
            SELECT COUNT(*) AS n FROM leaderboard_records WHERE board_id = \(bind: boardID) AND period_start = \(bind: period)
              AND (score \(unsafeRaw: better) \(bind: record.score) OR (score = \(bind: record.score) AND owner \(unsafeRaw: better) \(bind: record.owner)))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        return ahead + 1
    }

    public func count(boardID: String, period: Int64) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM leaderboard_records WHERE board_id = \(bind: boardID) AND period_start = \(bind: period)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The periods a board has records in, newest first (the current one and those kept from past resets).
    public func periods(boardID: String) async throws -> [Int64] {
        try await sql.raw("""
            SELECT DISTINCT period_start FROM leaderboard_records WHERE board_id = \(bind: boardID) ORDER BY period_start DESC
            """).all().map { try $0.decode(column: "period_start", as: Int64.self) }
    }

    private static func record(from row: any SQLRow) throws -> LeaderboardRecord {
        LeaderboardRecord(
            owner: try row.decode(column: "owner", as: String.self), score: try row.decode(column: "score", as: Double.self),
            writes: try row.decode(column: "writes", as: Int.self),
            metadata: try StoredJSON.decode([String: String].self, from: try row.decode(column: "metadata", as: String.self), table: "leaderboard_records"),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
