import Foundation
import PlaytestServices

/// 2–6 maps, agents, checkpoints or versions: a radar chart of the normalised axes and a table of the same numbers.
struct AnalysisComparePage {
    var comparison: Comparison

    static var rows: [(name: String, figure: (AnalysisFigures) -> Figure, format: (Double) -> String)] { [
        ("Completion", \.completionRate, WebFormat.percent),
        ("Time to exit", \.timeToExitSeconds, WebFormat.seconds),
        ("Survival", \.survivalRate, WebFormat.percent),
        ("Health lost", \.meanHealthLost, { WebFormat.number($0, digits: 1) }),
        ("Kills", \.meanKills, { WebFormat.number($0, digits: 1) }),
        ("Coverage", \.coverage, WebFormat.percent),
    ] }

    func page() -> WebPage {
        let c = comparison
        let title = "Compare \(c.items.count) \(c.kind.rawValue)" + (c.map.map { " on \($0)" } ?? "")
        return WebPage(title: title, section: .analysis, kind: "analysis-compare", content: group {
            el("p", .cls("crumbs")) { el("a", .href("/analysis")) { "Statistics" }; " / compare" }
            WebParts.pageHeader(title)
            el("p", .cls("muted")) {
                "Each axis runs from 0 at the centre to 1 at the rim: completion, survival and coverage as shares, speed as the fastest time to the exit over this one's, kills over the most kills compared, hardness over 100. Figures resting on fewer than \(c.minimumEpisodes) episodes are marked."
            }
            SVGChart.radar(
                axes: c.axes, items: c.items.map { item in (item.label, c.axes.map { item.normalized[$0] ?? nil }) },
                title: title, id: "compare-radar")
            el("div", .cls("table-wrap")) {
                el("table", .id("compare-figures")) {
                    Self.header("Figure", c.items)
                    el("tbody") {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { "Episodes" }
                            for item in c.items { el("td", .cls("num")) { String(item.figures.episodes) } }
                        }
                        for row in Self.rows {
                            el("tr") {
                                el("th", Attribute("scope", "row")) { row.name }
                                for item in c.items {
                                    let figure = row.figure(item.figures)
                                    el("td", .cls(figure.tooFew ? "num too-few" : "num")) { AnalysisFormat.figure(figure, row.format) }
                                }
                            }
                        }
                        el("tr") {
                            el("th", Attribute("scope", "row")) { "Hardness" }
                            for item in c.items {
                                let f = item.figures
                                el("td", .cls(f.hardnessTooFew ? "num too-few" : "num")) {
                                    f.hardness.map { h in
                                        "\(WebFormat.number(h.score, digits: 1)) \(h.band.rawValue) (\(h.episodes ?? 0) ep.)" + (f.hardnessTooFew ? " · too few" : "")
                                    } ?? "— (no episodes)"
                                }
                            }
                        }
                    }
                }
            }
            let facts = c.items.compactMap(\.map)
            if facts.count == c.items.count, let first = facts.first {
                el("h2") { c.kind == .versions ? "What changed" : "The maps" }
                el("div", .cls("table-wrap")) {
                    el("table", .id("compare-maps")) {
                        Self.header("", c.items)
                        el("tbody") {
                            for row in Self.mapRows {
                                el("tr") {
                                    el("th", Attribute("scope", "row")) { row.name }
                                    for (index, fact) in facts.enumerated() {
                                        el("td", .cls("num")) { Self.withChange(row.value(fact), from: row.value(first), show: index > 0) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        })
    }

    /// A table's head: the row names' column, then one column per item compared.
    static func header(_ first: String, _ items: [ComparedItem]) -> HTML {
        el("thead") {
            el("tr") {
                el("th", Attribute("scope", "col")) { first }
                for item in items { el("th", Attribute("scope", "col"), .cls("num")) { item.label } }
            }
        }
    }

    /// The rows of the maps' table: geometry, then what the checks and play found.
    static var mapRows: [(name: String, value: (MapFacts) -> Int)] { [
        ("Linedefs", \.counts.linedefs), ("Sectors", \.counts.sectors), ("Things", \.counts.things), ("Vertices", \.counts.vertices),
        ("Map checks: errors", \.mapChecks.error), ("Map checks: warnings", \.mapChecks.warning),
        ("Findings in play", \.playFindings),
    ] }

    /// "412 (+12)": a value with its change from the first item's.
    static func withChange(_ value: Int, from first: Int, show: Bool) -> String {
        guard show, value != first else { return String(value) }
        return "\(value) (\(value > first ? "+" : "−")\(abs(value - first)))"
    }
}
