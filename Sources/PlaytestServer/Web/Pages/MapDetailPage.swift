import Foundation
import PlaytestCore
import PlaytestServices

/// One map inside a WAD: the zoomable picture with layer toggles, the findings list, the stats,
/// the runs on this map, and the forms that start a test or a training run.
struct MapDetailPage {
    var record: MapView
    var summaries: [MapSummary] { record.maps }
    var wadID: String { record.id }
    var summary: MapSummary
    var findings: [Finding]
    var picture: MapPicture
    /// Which overlay layers the picture has (trajectories, heatmap), for their toggles.
    var overlayLayers: [String]
    var runs: [RunRow]
    var checkpoints: [CheckpointChoice]

    func page() -> WebPage {
        WebPage(title: "\(summary.name) · \(record.name)", section: .maps, kind: "map", content: group {
            el("p", .cls("crumbs")) { el("a", .href("/")) { "Maps" }; " / "; record.name }
            WebParts.pageHeader(summary.name + (summary.title.map { ": " + $0 } ?? "")) {
                el("a", .cls("button secondary"), .href("/api/v1/maps/\(wadID)/file")) { "Download WAD" }
            }
            if summaries.count > 1 { mapTabs() }
            el("div", .cls("map-layout")) {
                MapViewer(picture: picture, label: "Map \(summary.name)", overlayLayers: overlayLayers).html()
                el("div", .cls("side")) {
                    RunForms(wadID: wadID, map: summary.name, scenario: record.scenario, checkpoints: checkpoints).html()
                    stats()
                }
            }
            if record.scenario == nil { ProgressionPanel(wadID: wadID, map: summary.name).html() }
            findingsList()
            runsTable()
        })
    }

    private func mapTabs() -> HTML {
        el("nav", .cls("tabs"), .label("Maps in this WAD")) {
            el("ul") {
                for other in summaries {
                    el("li") {
                        el("a", .href("/maps/\(wadID)?map=\(other.name)"), Attribute("aria-current", other.name == summary.name ? "page" : nil)) { other.name }
                    }
                }
            }
        }
    }

    private func stats() -> HTML {
        el("section", Attribute("aria-labelledby", "stats-title")) {
            el("h2", .id("stats-title")) { "Stats" }
            WebParts.stats([
                ("Format", summary.format.rawValue),
                ("Things", String(summary.counts.things)),
                ("Linedefs", String(summary.counts.linedefs)),
                ("Sectors", String(summary.counts.sectors)),
                ("Reachable sectors", String(summary.reachableSectors)),
                ("Player starts", String(summary.playerStarts)),
                ("Deathmatch starts", String(summary.deathmatchStarts)),
                ("Exits", String(summary.exits)),
                ("Size", "\(Int(summary.bounds.maxX - summary.bounds.minX)) × \(Int(summary.bounds.maxY - summary.bounds.minY)) units"),
                ("Monsters", String(summary.thingCounts["monster"] ?? 0)),
                ("Uploaded by", record.owner ?? (record.builtin ? "built in" : "—")),
            ], id: "map-stats")
        }
    }

    private func findingsList() -> HTML {
        el("section", Attribute("aria-labelledby", "findings-title")) {
            el("h2", .id("findings-title")) { "Findings (\(findings.count))" }
            if findings.isEmpty {
                WebParts.emptyState("No static findings: the checks found nothing wrong with this map.")
            } else {
                el("ol", .cls("findings"), .id("findings-list")) {
                    for (index, finding) in findings.enumerated() {
                        el("li", .cls("finding-item severity-\(finding.severity.rawValue)")) {
                            el("button", .type("button"), .cls("finding-link"), .data("finding", String(index)),
                               .data("x", Self.coordinate(finding.location.x)), .data("y", Self.coordinate(finding.location.y)),
                               .label("Show on the map: \(finding.message)")) {
                                el("span", .cls("badge severity-\(finding.severity.rawValue)")) { finding.severity.rawValue }
                                " "
                                el("span", .cls("finding-kind")) { finding.kind.rawValue }
                            }
                            el("span", .cls("finding-message")) { finding.message }
                        }
                    }
                }
            }
        }
    }

    private func runsTable() -> HTML {
        el("section", Attribute("aria-labelledby", "map-runs-title")) {
            el("h2", .id("map-runs-title")) { "Runs on this map" }
            RunsTable(runs: runs, showMap: false, selectable: false).html()
        }
    }

    static func coordinate(_ value: Double) -> String? {
        value.isFinite ? String(format: "%.1f", value) : nil
    }
}

/// A checkpoint the test form offers.
struct CheckpointChoice: Sendable {
    var value: String
    var label: String

    static let builtin: [CheckpointChoice] = [
        CheckpointChoice(value: "general", label: "general (built-in)"),
        CheckpointChoice(value: "defend_the_center", label: "defend_the_center (built-in)"),
        CheckpointChoice(value: "health_gathering", label: "health_gathering (built-in)"),
    ]
}
