import Foundation
import PlaytestServices

/// The platform's activity on one page: totals, the last 30 days, findings and the busiest maps, from which maps can be
/// picked for a comparison.
struct StatisticsPage {
    var statistics: PlatformStatistics

    func page() -> WebPage {
        let s = statistics
        return WebPage(title: "Statistics", section: .analysis, kind: "statistics", content: group {
            WebParts.pageHeader("Statistics")
            WebParts.stats([
                ("Maps", String(s.maps)), ("Test runs", String(s.testRuns)), ("Training runs", String(s.trainingRuns)),
                ("Test episodes", String(s.episodes)), ("Agent-hours", WebFormat.number(s.agentHours, digits: 1)),
                ("Completion", AnalysisFormat.figure(s.completionRate, WebFormat.percent)),
            ], id: "platform-totals")
            el("div", .cls("chart-row")) {
                SVGChart.bars(s.days.map { (String($0.day.suffix(5)), Double($0.runs)) }, title: "Runs started per day (UTC), last \(s.days.count) days",
                              yLabel: "runs", id: "runs-per-day")
                SVGChart.lines(
                    [SVGChart.Series(name: "completion rate", points: s.days.enumerated().compactMap { index, day in
                        day.completionRate.value.map { (Double(index), $0 * 100) }
                    }, color: 3)],
                    title: "Share of test episodes that reached an exit, per day", xLabel: "days ago → today", yLabel: "%", id: "completion-over-time")
            }
            el("section", Attribute("aria-labelledby", "findings-title")) {
                el("h2", .id("findings-title")) { "Findings" }
                if !s.commonFindings.isEmpty {
                    el("h3") { "Most common kinds" }
                    WebParts.stats(s.commonFindings.map { ($0.kind.replacingOccurrences(of: "_", with: " "), String($0.findings)) }, id: "common-findings")
                    el("h3") { "Events and map checks" }
                }
                WebParts.stats(
                    s.findingEvents.sorted { $0.key < $1.key }.map { ($0.key.replacingOccurrences(of: "_", with: " "), String($0.value)) }
                        + s.mapFindings.sorted { $0.key < $1.key }.map { ("map checks: \($0.key)", String($0.value)) },
                    id: "finding-counts")
            }
            el("section", Attribute("aria-labelledby", "busiest-title")) {
                el("h2", .id("busiest-title")) { "Busiest maps" }
                if s.busiestMaps.isEmpty {
                    WebParts.emptyState("No runs yet.")
                } else {
                    el("form", Attribute("method", "get"), Attribute("action", "/analysis/compare"), .id("compare-maps")) {
                        el("input", .type("hidden"), .name("kind"), .value("maps"))
                        el("div", .cls("table-wrap")) {
                            el("table", .id("busiest-maps")) {
                                el("thead") { el("tr") { for header in ["Compare", "Map", "Runs"] { el("th", Attribute("scope", "col")) { header } } } }
                                el("tbody") {
                                    // Versions of one WAD are told apart by when each was uploaded.
                                    let repeated = Set(Dictionary(grouping: s.busiestMaps, by: \.name).filter { $0.value.count > 1 }.keys)
                                    for map in s.busiestMaps {
                                        let label = repeated.contains(map.name) ? "\(map.name) (\(WebDate.minute(map.uploadedAt)))" : map.name
                                        el("tr") {
                                            el("td") { el("input", .type("checkbox"), .name("id"), .value(map.id), .label("Compare \(label)")) }
                                            el("td") { el("a", .href("/maps/\(map.id)")) { label } }
                                            el("td", .cls("num")) { String(map.runs) }
                                        }
                                    }
                                }
                            }
                        }
                        el("button", .type("submit")) { "Compare the ticked maps (2–6)" }
                    }
                }
            }
        })
    }
}

/// How the analysis pages write a figure: the value, or a dash without data, and a mark when it rests on too few
/// episodes.
enum AnalysisFormat {
    static func figure(_ figure: Figure, _ format: (Double) -> String) -> String {
        guard let value = figure.value else { return "— (no episodes)" }
        let base = "\(format(value)) (\(figure.episodes) ep.)"
        return figure.tooFew ? base + " · too few" : base
    }
}
