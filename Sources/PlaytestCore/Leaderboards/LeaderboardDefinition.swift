/// A leaderboard on Nakama's model: which way it sorts, how a new score combines with an owner's record, an optional
/// reset schedule, and free metadata. Records are written by the platform only.
public struct LeaderboardDefinition: Sendable, Hashable, Codable {
    public enum SortOrder: String, Sendable, Hashable, Codable, CaseIterable {
        /// Lower is better (fastest exit, fewest deaths).
        case ascending = "asc"
        /// Higher is better (kills, coverage).
        case descending = "desc"
    }

    /// How a submitted score changes an owner's record.
    public enum Operator: String, Sendable, Hashable, Codable, CaseIterable {
        /// Keeps the better of the two, by the sort order.
        case best
        /// Replaces it.
        case set
        /// Adds to it.
        case incr
        /// Subtracts from it.
        case decr
    }

    /// `milestones`, `badges`, `map.<map id>.kills`, …: letters, digits and `._-`.
    public var id: String
    public var title: String
    public var sortOrder: SortOrder
    public var `operator`: Operator
    /// When the board starts a new period (a five-field cron expression, UTC); nil: it never resets.
    public var resetSchedule: CronSchedule?
    /// What the score means and how to show it (`unit`, `map_id`, …).
    public var metadata: [String: String]

    public init(id: String, title: String, sortOrder: SortOrder, operator: Operator, resetSchedule: CronSchedule? = nil,
                metadata: [String: String] = [:]) {
        self.id = id
        self.title = title
        self.sortOrder = sortOrder
        self.operator = `operator`
        self.resetSchedule = resetSchedule
        self.metadata = metadata
    }

    /// The record after submitting `score` to an owner whose record is `old` (nil: none yet).
    public func combine(_ old: Double?, _ score: Double) -> Double {
        guard let old else { return self.operator == .decr ? -score : score }
        switch self.operator {
        case .best: return sortOrder == .descending ? max(old, score) : min(old, score)
        case .set: return score
        case .incr: return old + score
        case .decr: return old - score
        }
    }

    /// Whether `id` is a valid board id.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 120 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    enum CodingKeys: String, CodingKey {
        case id, title
        case sortOrder = "sort_order"
        case `operator`
        case resetSchedule = "reset_schedule"
        case metadata
    }
}
