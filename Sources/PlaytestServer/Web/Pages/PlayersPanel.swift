import Foundation
import PlaytestServices

/// Humans against agents on one experience (a map's is `{map_id}/MAP01`): how many finish and how fast, where the
/// others stop, and how many of each reached each waypoint. On the map page and the player analytics page.
struct PlayersPanel {
    var comparison: HumansVersusAgentsView?
    var experience: String
    /// How many waypoints the reach table lists.
    var waypointRows = 12

    func html() -> HTML {
        el("section", Attribute("aria-labelledby", "players-title"), .id("players")) {
            el("h2", .id("players-title")) { "Players and agents" }
            if let comparison, comparison.humans.count + comparison.agents.count > 0 {
                el("div", .cls("table-wrap")) { el("table", .id("humans-vs-agents")) {
                    el("caption") { "Humans (players) against agents (test-run episodes)" }
                    el("thead") {
                        el("tr") {
                            for title in ["", "Attempts", "Finished", "Rate", "Median time to exit", "Where the others stop"] {
                                el("th", Attribute("scope", "col")) { title }
                            }
                        }
                    }
                    el("tbody") {
                        row("Humans", comparison.humans, unit: comparison.humans.count == 1 ? "player" : "players")
                        row("Agents", comparison.agents, unit: comparison.agents.count == 1 ? "episode" : "episodes")
                    }
                } }
                if !comparison.waypoints.isEmpty { reach(comparison) }
            } else {
                WebParts.emptyState("No player or agent progress on this map yet. Test runs record their agents here as they finish; "
                    + "game clients record players through /api/v1/progress with the experience \(experience).")
            }
            el("p") { el("a", .href("/progress?experience=\(experience)")) { "Player analytics for this map" } }
        }
    }

    private func row(_ name: String, _ group: GroupFigures, unit: String) -> HTML {
        el("tr") {
            el("th", Attribute("scope", "row")) { name }
            el("td", .cls("num")) { "\(group.count) \(unit)" }
            el("td", .cls("num")) { String(group.finished) }
            el("td", .cls("num")) { group.completionRate.map(WebFormat.percent) ?? "—" }
            el("td", .cls("num")) { group.medianSecondsToExit.map(WebFormat.seconds) ?? "—" }
            el("td") { group.stops.isEmpty ? "—" : group.stops.map { "\($0.place) (\($0.count))" }.joined(separator: ", ") }
        }
    }

    private func reach(_ comparison: HumansVersusAgentsView) -> HTML {
        el("div", .cls("table-wrap")) { el("table", .id("waypoint-reach")) {
            el("caption") { "How many reached each part of the map (sectors)" }
            el("thead") {
                el("tr") {
                    for title in ["Waypoint", "Humans", "Share of humans", "Agent episodes", "Share of episodes"] {
                        el("th", Attribute("scope", "col")) { title }
                    }
                }
            }
            el("tbody") {
                for reach in comparison.waypoints.prefix(waypointRows) {
                    el("tr") {
                        el("th", Attribute("scope", "row")) { reach.contentID }
                        el("td", .cls("num")) { String(reach.humans) }
                        el("td", .cls("num")) { reach.humansShare.map(WebFormat.percent) ?? "—" }
                        el("td", .cls("num")) { String(reach.agentEpisodes) }
                        el("td", .cls("num")) { reach.agentsShare.map(WebFormat.percent) ?? "—" }
                    }
                }
            }
        } }
    }
}
