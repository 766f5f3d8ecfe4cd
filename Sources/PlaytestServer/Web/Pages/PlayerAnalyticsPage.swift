import Foundation
import PlaytestServices

/// `/progress?experience=`: one experience's human players (completion funnel, playtime distribution, most-visited
/// waypoints) and the humans-against-agents comparison.
struct PlayerAnalyticsPage {
    var analytics: ExperienceAnalyticsView
    var comparison: HumansVersusAgentsView

    func page() -> WebPage {
        WebPage(title: "Player analytics · \(analytics.experienceID)", section: .analysis, kind: "player-analytics", content: group {
            WebParts.pageHeader("Player analytics")
            el("p", .cls("muted")) { "Experience \(analytics.experienceID)" }
            WebParts.stats([
                ("Players", String(analytics.players)), ("Completed", String(analytics.completed)),
                ("Completion rate", WebFormat.percent(analytics.completionRate)),
                ("Median playtime", analytics.playtime.medianSeconds.map { WebFormat.seconds(Double($0)) } ?? "—"),
                ("90th percentile", analytics.playtime.p90Seconds.map { WebFormat.seconds(Double($0)) } ?? "—"),
            ], id: "player-figures")
            if analytics.players == 0 {
                WebParts.emptyState("No human player has progress here yet.")
            } else {
                el("div", .cls("charts")) {
                    SVGChart.bars(analytics.funnel.map { (label: $0.stage, value: $0.share * 100) }, title: "Completion funnel",
                                  yLabel: "% of players", id: "funnel")
                    SVGChart.bars(analytics.playtime.buckets.map { (label: Self.label($0), value: Double($0.players)) },
                                  title: "Playtime", yLabel: "players", id: "playtime")
                }
                waypoints()
            }
            PlayersPanel(comparison: comparison, experience: analytics.experienceID, waypointRows: 30).html()
        })
    }

    static func label(_ bucket: PlaytimeBucket) -> String {
        let minutes = { (seconds: Int) in seconds < 3600 ? "\(seconds / 60)m" : "\(seconds / 3600)h" }
        guard let upper = bucket.toSeconds else { return "≥ " + minutes(bucket.fromSeconds) }
        return bucket.fromSeconds == 0 ? "< " + minutes(upper) : minutes(bucket.fromSeconds) + "–" + minutes(upper)
    }

    private func waypoints() -> HTML {
        el("div", .cls("table-wrap")) { el("table", .id("top-waypoints")) {
            el("caption") { "Most-visited waypoints" }
            el("thead") {
                el("tr") { for title in ["Waypoint", "Players", "Visits", "Average time"] { el("th", Attribute("scope", "col")) { title } } }
            }
            el("tbody") {
                for waypoint in analytics.topWaypoints {
                    el("tr") {
                        el("th", Attribute("scope", "row")) { waypoint.contentID }
                        el("td", .cls("num")) { String(waypoint.players) }
                        el("td", .cls("num")) { String(waypoint.visits) }
                        el("td", .cls("num")) { waypoint.averageTimeSpent.map(WebFormat.seconds) ?? "—" }
                    }
                }
            }
        } }
    }
}
