/// Seed 002's Redis keys for a player, with its TTLs (docs/player-progress.md).
enum PlayerKeys {
    static func session(_ userID: String) -> String { "player:\(userID):session" }
    static func inventory(_ userID: String, _ experience: String) -> String { "player:\(userID):inventory:\(experience)" }
    static func visited(_ userID: String, _ experience: String) -> String { "player:\(userID):visited:\(experience)" }
    static func distanceBoard(_ experience: String) -> String { "experience:\(experience):leaderboard:distance" }
    static func activePlayers(_ experience: String) -> String { "experience:\(experience):active_players" }

    static let sessionTTL: Duration = .seconds(3600)
    static let setTTL: Duration = .seconds(3600)
    static let distanceTTL: Duration = .seconds(300)
    static let activeTTL: Duration = .seconds(1800)
}
