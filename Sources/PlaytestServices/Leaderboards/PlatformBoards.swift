import Foundation
import PlaytestCore
import PlaytestStorage

/// The boards the platform keeps (docs/live-state.md): per map, kills, fastest exit, coverage and fewest deaths of
/// each agent's best run; globally, milestones and badges earned. Owners are agents by ``AgentIdentity`` name.
public enum PlatformBoards {
    public static let milestones = LeaderboardDefinition(
        id: "milestones", title: "Milestones earned", sortOrder: .descending, operator: .incr, metadata: ["unit": "milestones"])
    public static let badges = LeaderboardDefinition(
        id: "badges", title: "Badges earned", sortOrder: .descending, operator: .incr, metadata: ["unit": "badges"])

    /// A map's four boards, in display order.
    public static func map(_ mapID: String, name: String) -> [LeaderboardDefinition] {
        func board(_ figure: String, _ title: String, _ order: LeaderboardDefinition.SortOrder, _ unit: String) -> LeaderboardDefinition {
            LeaderboardDefinition(id: "map.\(mapID).\(figure)", title: "\(name): \(title)", sortOrder: order, operator: .best,
                                  metadata: ["map_id": mapID, "figure": figure, "unit": unit])
        }
        return [
            board("kills", "most kills in an episode", .descending, "kills"),
            board("fastest_exit", "fastest exit", .ascending, "seconds"),
            board("coverage", "most of the map seen", .descending, "%"),
            board("fewest_deaths", "fewest deaths per episode", .ascending, "deaths per episode"),
        ]
    }

    /// A finished test run's figures for its map's boards: the best episode's kills, the fastest exit, the widest
    /// coverage and deaths per episode. A figure the run has not got (no exit) is left out.
    static func figures(of episodes: [EpisodeMetrics]) -> [String: Double] {
        guard !episodes.isEmpty else { return [:] }
        var figures: [String: Double] = [
            "kills": Double(episodes.map(\.kills).max() ?? 0),
            "fewest_deaths": (Double(episodes.map(\.deaths).reduce(0, +)) / Double(episodes.count) * 100).rounded() / 100,
        ]
        if let fastest = episodes.filter(\.exitReached).map(\.durationSeconds).min() { figures["fastest_exit"] = (fastest * 100).rounded() / 100 }
        if let coverage = episodes.compactMap(\.coverage).max() { figures["coverage"] = (coverage * 1000).rounded() / 10 }
        return figures
    }
}
