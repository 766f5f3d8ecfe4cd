import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Leaderboards (docs/live-state.md): SQL holds every record, a Redis sorted set per board and period serves the
/// ranks. A submission commits in SQL first, then writes the resulting score to the sorted set with `ZADD GT` or
/// `LT` (so concurrent writers can only move a record the right way); a read goes to Redis and rebuilds the set from
/// SQL when it finds it empty while SQL has records. Redis down: reads come from SQL, submissions still succeed.
public struct Leaderboards: Sendable {
    let store: LeaderboardStore
    let live: any LiveStore
    let logger: Logger
    let now: @Sendable () -> Date

    public init(engines: PlaytestEngines, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = LeaderboardStore(sql: engines.sql)
        self.live = engines.live
        self.logger = logger
        self.now = now
    }

    /// The sorted set of a board's period: `leaderboard:<id>`, with `:<period start>` for a board that resets.
    public static func key(boardID: String, period: Int64) -> String {
        period == 0 ? "leaderboard:\(boardID)" : "leaderboard:\(boardID):\(period)"
    }

    /// The period a board is in now: its schedule's last firing in Unix seconds, 0 when it never resets.
    func period(of board: LeaderboardDefinition, at date: Date? = nil) -> Int64 {
        guard let schedule = board.resetSchedule, let start = schedule.periodStart(containing: date ?? now()) else { return 0 }
        return Int64(start.timeIntervalSince1970)
    }

    // MARK: boards

    public func define(_ board: LeaderboardDefinition, mapID: String? = nil) async throws {
        guard LeaderboardDefinition.isValidID(board.id) else { throw LeaderboardError.invalid("\"\(board.id)\" is not a board id") }
        try await store.define(board, mapID: mapID)
    }

    public func board(id: String) async throws -> LeaderboardDefinition {
        guard let board = try await store.board(id: id) else { throw LeaderboardError.notFound(id) }
        return board
    }

    public func boards(mapID: String? = nil) async throws -> [LeaderboardDefinition] {
        try await store.boards(mapID: mapID)
    }

    // MARK: writing (the platform only)

    /// Submits `score` for `owner`; a `writeID` seen before by this board changes nothing. Returns the owner's score.
    @discardableResult
    public func submit(_ board: LeaderboardDefinition, owner: String, score: Double, writeID: String? = nil,
                       metadata: [String: String] = [:]) async throws -> Double {
        guard score.isFinite else { throw LeaderboardError.invalid("score \(score) is not a finite number") }
        guard !owner.isEmpty, owner.count <= 200 else { throw LeaderboardError.invalid("an owner is 1 to 200 characters") }
        let period = period(of: board)
        let result = try await store.submit(board, period: period, owner: owner, score: score, writeID: writeID, metadata: metadata)
        do {
            try await live.write([.sortedSetAdd(Self.key(boardID: board.id, period: period), [ScoredMember(member: owner, score: result)],
                                                when: Self.condition(board))])
        } catch {
            logger.warning("a leaderboard's sorted set missed a write; the next read or rebuild restores it",
                           metadata: ["board": "\(board.id)", "error": "\(error)"])
        }
        return result
    }

    /// Which way a record may move in Redis: up for `best` on a descending board and for `incr`, down for the
    /// opposites, any way for `set`.
    static func condition(_ board: LeaderboardDefinition) -> ScoreCondition {
        switch board.operator {
        case .best: board.sortOrder == .descending ? .greater : .less
        case .incr: .greater
        case .decr: .less
        case .set: .always
        }
    }

    // MARK: reading

    /// Records from rank `offset + 1`, best first, and the board's size.
    public func page(boardID: String, offset: Int = 0, limit: Int = 10, period requested: Int64? = nil) async throws -> LeaderboardPage {
        try await page(of: try await board(id: boardID), offset: offset, limit: limit, period: requested)
    }

    /// The same for a board already looked up (no second SQL read of its definition).
    public func page(of board: LeaderboardDefinition, offset: Int = 0, limit: Int = 10, period requested: Int64? = nil) async throws
        -> LeaderboardPage {
        let period = requested ?? period(of: board)
        let offset = max(0, offset)
        let limit = min(max(1, limit), 100)
        if period == self.period(of: board), let scored = try await liveRange(board, period: period, start: offset, stop: offset + limit - 1) {
            return LeaderboardPage(board: board, periodStart: period, total: scored.total, records: scored.members.enumerated().map {
                RankedRecord(rank: offset + $0.offset + 1, owner: $0.element.member, score: $0.element.score)
            })
        }
        let records = try await store.records(boardID: board.id, period: period, order: board.sortOrder, offset: offset, limit: limit)
        return LeaderboardPage(board: board, periodStart: period, total: try await store.count(boardID: board.id, period: period),
                               records: records.enumerated().map { RankedRecord(rank: offset + $0.offset + 1, owner: $0.element.owner, score: $0.element.score) })
    }

    /// The `count` records either side of `owner`'s, with theirs; ``LeaderboardError/noRecord(_:owner:)`` when it has none.
    public func around(boardID: String, owner: String, count: Int = 5) async throws -> LeaderboardPage {
        let board = try await board(id: boardID)
        let count = min(max(0, count), 50)
        let rank = try await rank(board: board, owner: owner, withRecord: false).rank
        return try await page(of: board, offset: max(0, rank - 1 - count), limit: min(100, 2 * count + 1))
    }

    /// `owner`'s rank (from 1), score and stored record in the current period.
    public func standing(boardID: String, owner: String) async throws -> OwnerStanding {
        let board = try await board(id: boardID)
        let found = try await rank(board: board, owner: owner, withRecord: true)
        return OwnerStanding(board: board, periodStart: period(of: board), rank: found.rank, score: found.score, record: found.record)
    }

    private func rank(board: LeaderboardDefinition, owner: String, withRecord: Bool) async throws
        -> (rank: Int, score: Double, record: LeaderboardRecord?) {
        let period = period(of: board)
        let key = Self.key(boardID: board.id, period: period)
        do {
            if try await live.sortedSetCount(key) == 0 { try await loadIfStored(board, period: period) }
            if let rank = try await live.sortedSetRank(key, member: owner, descending: board.sortOrder == .descending),
               let score = try await live.sortedSetScore(key, member: owner) {
                return (rank + 1, score, withRecord ? try await store.record(boardID: board.id, period: period, owner: owner) : nil)
            }
        } catch let error as LiveStoreError {
            logger.warning("leaderboard read fell back to SQL", metadata: ["board": "\(board.id)", "error": "\(error)"])
        }
        guard let record = try await store.record(boardID: board.id, period: period, owner: owner) else {
            throw LeaderboardError.noRecord(board.id, owner: owner)
        }
        let rank = try await store.rank(boardID: board.id, period: period, order: board.sortOrder, of: record)
        return (rank, record.score, record)
    }

    /// The sorted set's members in rank range, with the board's size; nil when Redis cannot answer (read SQL).
    private func liveRange(_ board: LeaderboardDefinition, period: Int64, start: Int, stop: Int) async throws
        -> (members: [ScoredMember], total: Int)? {
        let key = Self.key(boardID: board.id, period: period)
        do {
            var members = try await live.sortedSetRange(key, start: start, stop: stop, descending: board.sortOrder == .descending)
            if members.isEmpty, start == 0, try await loadIfStored(board, period: period) {
                members = try await live.sortedSetRange(key, start: start, stop: stop, descending: board.sortOrder == .descending)
            }
            return (members, try await live.sortedSetCount(key))
        } catch let error as LiveStoreError {
            logger.warning("leaderboard read fell back to SQL", metadata: ["board": "\(board.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Rebuilds a sorted set found empty (Redis restarted empty) when SQL has records for it; true when it did.
    @discardableResult
    private func loadIfStored(_ board: LeaderboardDefinition, period: Int64) async throws -> Bool {
        guard try await store.count(boardID: board.id, period: period) > 0 else { return false }
        try await rebuild(board, period: period)
        return true
    }

    // MARK: rebuilding

    /// Writes the board's records of `period` (default: the current one) into its sorted set, replacing it.
    public func rebuild(_ board: LeaderboardDefinition, period requested: Int64? = nil) async throws {
        let period = requested ?? period(of: board)
        let key = Self.key(boardID: board.id, period: period)
        var offset = 0
        var writes: [LiveWrite] = []
        while true {
            let records = try await store.records(boardID: board.id, period: period, order: board.sortOrder, offset: offset, limit: 5000)
            guard !records.isEmpty else { break }
            writes.append(.sortedSetAdd(key, records.map { ScoredMember(member: $0.owner, score: $0.score) }, when: Self.condition(board)))
            offset += records.count
        }
        try await live.delete([key])
        try await live.write(writes)
    }

    /// Rebuilds every board's current period; returns how many boards.
    public func rebuildAll() async throws -> Int {
        let boards = try await store.boards()
        for board in boards { try await rebuild(board) }
        return boards.count
    }
}

public enum LeaderboardError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case noRecord(String, owner: String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let id): "no leaderboard \"\(id)\""
        case .noRecord(let id, let owner): "\"\(owner)\" has no record on leaderboard \"\(id)\""
        case .invalid(let reason): "invalid leaderboard write: \(reason)"
        }
    }
}
