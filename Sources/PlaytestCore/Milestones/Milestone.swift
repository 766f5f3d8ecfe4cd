/// The milestones an agent can earn on a map: the rules table of docs/live-state.md. Each is awarded at most once
/// per agent session (a run: one agent on one map); badges are the rarer ones that also count on `leaderboard:badges`.
public enum Milestone: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case firstKill = "first_kill"
    case kills10 = "kills_10"
    case kills25 = "kills_25"
    case kills50 = "kills_50"
    case kills100 = "kills_100"
    case firstSecret = "first_secret"
    case blueCard = "key_blue_card"
    case yellowCard = "key_yellow_card"
    case redCard = "key_red_card"
    case blueSkull = "key_blue_skull"
    case yellowSkull = "key_yellow_skull"
    case redSkull = "key_red_skull"
    case coverage25 = "coverage_25"
    case coverage50 = "coverage_50"
    case coverage75 = "coverage_75"
    case coverage100 = "coverage_100"
    case survivedEpisode = "survived_episode"
    case exitReached = "exit_reached"
    case exitWithoutDamage = "exit_without_damage"
    case exitUnderPar = "exit_under_par"

    public var title: String {
        switch self {
        case .firstKill: "First kill"
        case .kills10: "10 kills"
        case .kills25: "25 kills"
        case .kills50: "50 kills"
        case .kills100: "100 kills"
        case .firstSecret: "First secret"
        case .blueCard: "Blue keycard"
        case .yellowCard: "Yellow keycard"
        case .redCard: "Red keycard"
        case .blueSkull: "Blue skull key"
        case .yellowSkull: "Yellow skull key"
        case .redSkull: "Red skull key"
        case .coverage25: "25% of the map seen"
        case .coverage50: "50% of the map seen"
        case .coverage75: "75% of the map seen"
        case .coverage100: "Every reachable sector visited"
        case .survivedEpisode: "Survived an episode"
        case .exitReached: "Reached the exit"
        case .exitWithoutDamage: "Exit without taking damage"
        case .exitUnderPar: "Exit under par time"
        }
    }

    /// Badges also count on the global badge board.
    public var isBadge: Bool {
        switch self {
        case .exitReached, .exitWithoutDamage, .exitUnderPar, .coverage100, .kills100: true
        default: false
        }
    }

    /// The milestone for holding a key, by the agent's key name (`blue_card`, `red_skull`, …).
    public init?(key: String) {
        self.init(rawValue: "key_" + key)
    }

    /// Kill counts that earn a milestone, with it.
    static let killMarks: [(kills: Int, milestone: Milestone)] = [
        (1, .firstKill), (10, .kills10), (25, .kills25), (50, .kills50), (100, .kills100),
    ]
    /// Coverage fractions that earn a milestone, with it (100% allows for rounding of the sector count).
    static let coverageMarks: [(fraction: Double, milestone: Milestone)] = [
        (0.25, .coverage25), (0.5, .coverage50), (0.75, .coverage75), (0.9999, .coverage100),
    ]

    /// Declaration order, so lists read like the table.
    public static func < (lhs: Milestone, rhs: Milestone) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A milestone earned: when and where.
public struct MilestoneAward: Sendable, Hashable, Codable {
    public var milestone: Milestone
    /// The run's episode number (from 1).
    public var episode: Int
    public var tic: Int
    public var x: Double
    public var y: Double

    public init(milestone: Milestone, episode: Int, tic: Int, x: Double, y: Double) {
        self.milestone = milestone
        self.episode = episode
        self.tic = tic
        self.x = x
        self.y = y
    }
}
