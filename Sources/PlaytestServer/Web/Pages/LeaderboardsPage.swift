import Foundation
import PlaytestCore
import PlaytestServices

/// Every leaderboard's top 10: the global milestone and badge boards, then each map's (or one map's with
/// `?map_id=`). Owners are agents by name; each board says what its score means.
struct LeaderboardsPage {
    var pages: [LeaderboardPage]
    var mapID: String?

    func page() -> WebPage {
        WebPage(title: "Leaderboards", section: .leaderboards, kind: "leaderboards", content: group {
            WebParts.pageHeader("Leaderboards")
            if let mapID {
                el("p") { el("a", .href("/maps/\(mapID)")) { "← the map" }; " · "; el("a", .href("/leaderboards")) { "every board" } }
            }
            if pages.isEmpty {
                WebParts.emptyState("No leaderboard has a record yet. Boards fill in as test runs finish and agents earn milestones.")
            } else {
                el("div", .cls("boards")) {
                    for page in pages { board(page) }
                }
            }
        })
    }

    private func board(_ page: LeaderboardPage) -> HTML {
        let id = "board-" + page.board.id.replacingOccurrences(of: ".", with: "-")
        let unit = page.board.metadata["unit"] ?? ""
        return el("section", .cls("board card"), .id(id), Attribute("aria-labelledby", id + "-title")) {
            el("h2", .id(id + "-title")) { page.board.title }
            el("p", .cls("muted")) {
                (page.board.sortOrder == .descending ? "Highest first" : "Lowest first") + " · \(page.total) " + (page.total == 1 ? "agent" : "agents")
                    + (page.board.resetSchedule.map { " · resets \($0.expression) (UTC)" } ?? "")
            }
            if page.records.isEmpty {
                WebParts.emptyState("No record in this period.")
            } else {
                el("table", .cls("board-table")) {
                    el("thead") {
                        el("tr") {
                            el("th", Attribute("scope", "col"), .cls("num")) { "Rank" }
                            el("th", Attribute("scope", "col")) { "Agent" }
                            el("th", Attribute("scope", "col"), .cls("num")) { unit.isEmpty ? "Score" : unit.capitalized }
                        }
                    }
                    el("tbody") {
                        for record in page.records {
                            el("tr") {
                                el("td", .cls("num")) { String(record.rank) }
                                el("td") { record.owner }
                                el("td", .cls("num")) { WebFormat.number(record.score, digits: record.score == record.score.rounded() ? 0 : 2) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The run page's live agent view and milestones (docs/live-state.md): server-rendered from the live store and SQL,
/// then kept current by `agent_state` and `milestone` live messages in `/app.js`.
struct AgentPanels {
    var live: AgentLiveView?
    var milestones: [MilestoneView]
    var isActive: Bool
    /// The agent's name and its mean decision confidence per run (empty for agents that do not report one).
    var agent: String
    var trend: [ConfidenceRun]

    func html() -> HTML {
        group {
            if isActive { liveView() }
            milestoneList()
            if !trend.isEmpty { confidenceTrend() }
        }
    }

    /// Is the agent getting more or less sure of itself, run after run (seed 000's confidence trend)?
    private func confidenceTrend() -> HTML {
        el("section", .id("confidence-trend"), Attribute("aria-labelledby", "confidence-title")) {
            el("h2", .id("confidence-title")) { "Decision confidence of \(agent), run after run" }
            if trend.count < 2, let only = trend.first {
                WebParts.stats([("Mean", WebFormat.percent(only.confidenceMean)),
                                ("10th percentile", only.confidenceLow.map(WebFormat.percent) ?? "–"),
                                ("Runs so far", "1")], id: "confidence-stats")
            } else {
                confidenceChart()
            }
        }
    }

    private func confidenceChart() -> HTML {
        SVGChart.lines([
            SVGChart.Series(name: "mean", points: trend.enumerated().map { (Double($0.offset + 1), $0.element.confidenceMean * 100) }, color: 1),
            SVGChart.Series(name: "10th percentile", points: trend.enumerated().compactMap { index, point in
                point.confidenceLow.map { (Double(index + 1), $0 * 100) }
            }, color: 2),
        ], title: "Confidence per run (oldest first; \(trend.count) runs)", xLabel: "run", yLabel: "%", id: "confidence-chart")
    }

    private func liveView() -> HTML {
        el("section", .id("agent-live"), .cls("card"), Attribute("aria-labelledby", "agent-live-title")) {
            el("h2", .id("agent-live-title")) { "Live agent" }
            WebParts.stats([
                ("Episode", live?.episode.map(String.init) ?? "–"),
                ("Position", live.flatMap { view in view.x.flatMap { x in view.y.map { "\(Int(x)), \(Int($0))" } } } ?? "–"),
                ("Health", live?.health.map(String.init) ?? "–"),
                ("Ammo", live?.ammo.map(String.init) ?? "–"),
                ("Confidence", live?.confidence.map { WebFormat.percent($0) } ?? "–"),
                ("Coverage", live?.coverage.map { WebFormat.percent($0) } ?? "–"),
            ], id: "agent-stats")
            el("div", .cls("grid-2")) {
                el("figure", .cls("sparkline")) {
                    el("figcaption") { "Last 100 rewards" }
                    el("svg", .id("reward-sparkline"), Attribute("viewBox", "0 0 200 40"), Attribute("preserveAspectRatio", "none"),
                       .role("img"), .label("The agent's last 100 rewards")) {
                        el("polyline", Attribute("points", Self.sparkline(live?.rewards ?? [])), Attribute("fill", "none"),
                           Attribute("stroke", "currentColor"), Attribute("stroke-width", "1.5"), Attribute("vector-effect", "non-scaling-stroke"))
                    }
                }
                el("div") {
                    el("h3") { "Recent decisions" }
                    el("ol", .id("agent-decisions"), .cls("decisions"), Attribute("reversed", "")) {
                        for decision in (live?.decisions ?? []).reversed() { Self.decision(decision) }
                    }
                }
            }
        }
    }

    static func decision(_ decision: AgentDecision) -> HTML {
        el("li") {
            "step \(decision.step): " + (decision.buttons.isEmpty ? "no button" : decision.buttons.joined(separator: " + "))
                + (decision.confidence.map { " · \(WebFormat.percent($0)) sure" } ?? "")
        }
    }

    /// The polyline points of a sparkline 200 × 40 (`/app.js` draws the same).
    static func sparkline(_ values: [Double]) -> String {
        guard values.count > 1, let min = values.min(), let max = values.max() else { return "" }
        // A flat series (a navigator earns no reward) is drawn across the middle, not along the floor.
        let low = max == min ? min - 1 : min
        let span = max == min ? 2 : max - min
        return values.enumerated().map { index, value in
            "\(WebFormat.number(Double(index) * 200 / Double(values.count - 1), digits: 1)),\(WebFormat.number(38 - (value - low) / span * 36, digits: 1))"
        }.joined(separator: " ")
    }

    private func milestoneList() -> HTML {
        el("section", .id("milestones-section"), Attribute("aria-labelledby", "milestones-title")) {
            el("h2", .id("milestones-title")) { "Milestones" }
            if milestones.isEmpty {
                el("div", .id("milestones-empty")) {
                    WebParts.emptyState("No milestone yet: first kill, secrets, keys, coverage, survival and the exit earn them.")
                }
            }
            el("ul", .id("milestones"), .cls("milestones")) {
                for milestone in milestones { Self.item(milestone) }
            }
        }
    }

    static func item(_ m: MilestoneView) -> HTML {
        el("li", .cls(m.badge ? "milestone is-badge" : "milestone"), .data("milestone", m.milestone)) {
            if let url = m.screenshotURL {
                el("a", .href(url), .cls("screenshot-link"), .title("Screenshot of the moment")) {
                    el("img", Attribute("src", url), Attribute("alt", "\(m.title): the agent's view"), Attribute("loading", "lazy"),
                       Attribute("width", "160"), Attribute("height", "120"))
                }
            }
            el("strong") { m.title + (m.badge ? " ★" : "") }
            el("span", .cls("muted")) { " episode \(m.episode) at \(WebFormat.seconds(Double(m.tic) / AgentProtocol.ticsPerSecond))" }
        }
    }
}
