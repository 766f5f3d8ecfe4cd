import Foundation
import PlaytestCore
import PlaytestServices

/// 2–4 test runs side by side: their aggregate metrics in a table and a grouped bar chart.
struct ComparePage {
    struct Column {
        var id: String
        var map: String
        var mapName: String
        var agent: String
        var status: String
        var results: TestResults
    }

    var columns: [Column]

    static var metrics: [(name: String, value: (TestResults) -> Double?, format: (Double) -> String)] { [
        ("Mean kills", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.meanKills : nil }, { WebFormat.number($0) }),
        ("Survival", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.survivalRate : nil }, WebFormat.percent),
        ("Exit rate", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.exitRate : nil }, WebFormat.percent),
        ("Health lost", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.meanHealthLost : nil }, { WebFormat.number($0, digits: 1) }),
        ("Ammo used", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.meanAmmoUsed : nil }, { WebFormat.number($0, digits: 1) }),
        ("Duration", { $0.aggregateMetrics.episodes > 0 ? $0.aggregateMetrics.meanDurationSeconds : nil }, WebFormat.seconds),
        ("Coverage", { $0.aggregateMetrics.coverage }, WebFormat.percent),
        ("Hardness", { $0.hardness?.score }, { WebFormat.number($0, digits: 1) }),
    ] }

    func page() -> WebPage {
        WebPage(title: "Compare runs", section: .runs, kind: "compare", content: group {
            el("p", .cls("crumbs")) { el("a", .href("/runs")) { "Runs" }; " / compare" }
            WebParts.pageHeader("Compare \(columns.count) test runs")
            el("div", .cls("table-wrap")) {
                el("table", .id("compare-table")) {
                    el("thead") {
                        el("tr") {
                            el("th", Attribute("scope", "col")) { "Metric" }
                            for column in columns {
                                el("th", Attribute("scope", "col"), .cls("num")) {
                                    el("a", .href("/runs/\(column.id)")) { column.id }
                                    el("div", .cls("muted small")) { "\(column.map) of \(column.mapName) · \(column.agent)" }
                                }
                            }
                        }
                    }
                    el("tbody") {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { "Episodes" }
                            for column in columns { el("td", .cls("num")) { "\(column.results.episodesCompleted) of \(column.results.totalEpisodes)" } }
                        }
                        for metric in Self.metrics {
                            el("tr") {
                                el("th", Attribute("scope", "row")) { metric.name }
                                for column in columns { el("td", .cls("num")) { metric.value(column.results).map(metric.format) ?? "–" } }
                            }
                        }
                    }
                }
            }
            SVGChart.groupedBars(
                metrics: Self.metrics.map(\.name),
                runs: columns.map { column in (column.id, Self.metrics.map { $0.value(column.results) ?? .nan }) },
                title: "Aggregate metrics, each scaled to the highest run", id: "compare-chart")
        })
    }
}
