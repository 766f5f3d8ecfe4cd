import Foundation
import PlaytestCore
import PlaytestStorage

/// One rank of a board.
public struct RankedRecord: Sendable, Hashable, Codable {
    public var rank: Int
    public var owner: String
    public var score: Double
}

/// A page of a board: its definition, the period shown, its size and the records in rank order.
public struct LeaderboardPage: Sendable, Hashable, Codable {
    public var board: LeaderboardDefinition
    /// Unix seconds when the period began; 0 for a board that never resets.
    public var periodStart: Int64
    public var total: Int
    public var records: [RankedRecord]

    enum CodingKeys: String, CodingKey {
        case board, periodStart = "period_start", total, records
    }
}

/// An owner's place on a board, with its stored record (metadata: the run that set it, …).
public struct OwnerStanding: Sendable, Hashable, Codable {
    public var board: LeaderboardDefinition
    public var periodStart: Int64
    public var rank: Int
    public var score: Double
    public var writes: Int?
    public var metadata: [String: String]?
    public var updatedAt: Date?

    init(board: LeaderboardDefinition, periodStart: Int64, rank: Int, score: Double, record: LeaderboardRecord?) {
        self.board = board
        self.periodStart = periodStart
        self.rank = rank
        self.score = score
        self.writes = record?.writes
        self.metadata = record?.metadata
        self.updatedAt = record?.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case board, periodStart = "period_start", rank, score, writes, metadata, updatedAt = "updated_at"
    }
}
