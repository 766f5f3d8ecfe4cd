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
    /// The map's profile across its test runs (nil when it could not be read: the rest of the page still shows).
    var profile: MapProfile?
    /// Uploads with this WAD's name, newest first (this one among them).
    var versions: [MapView] = []
    /// Humans against agents on this map (nil when it could not be read).
    var players: HumansVersusAgentsView?

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
                    hardness()
                    versionList()
                }
            }
            if record.scenario == nil { ProgressionPanel(wadID: wadID, map: summary.name).html() }
            findingsList()
            PlayersPanel(comparison: players, experience: "\(wadID)/\(summary.name)").html()
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

    /// Other uploads of this WAD, with a link that compares them on the analysis axes.
    private func versionList() -> HTML {
        group {
            if versions.count > 1 {
                el("section", Attribute("aria-labelledby", "versions-title"), .id("versions")) {
                    el("h2", .id("versions-title")) { "Versions" }
                    el("ul") {
                        for version in versions {
                            el("li") {
                                if version.id == wadID {
                                    "this upload, \(WebFormat.date(version.uploadedAt))"
                                } else {
                                    el("a", .href("/maps/\(version.id)?map=\(summary.name)")) { "upload of \(WebFormat.date(version.uploadedAt))" }
                                }
                            }
                        }
                    }
                    let ids = versions.prefix(6).map { "id=\($0.id)" }.joined(separator: "&")
                    el("a", .cls("button secondary"), .href("/analysis/compare?kind=versions&map=\(summary.name)&\(ids)")) { "Compare versions" }
                }
            }
        }
    }

    /// The hardness gauge of every non-god-mode test episode on this map, its components, and the score at each skill.
    private func hardness() -> HTML {
        el("section", Attribute("aria-labelledby", "hardness-title"), .id("hardness")) {
            el("h2", .id("hardness-title")) { "Hardness" }
            if let profile, let score = profile.overall.hardness {
                SVGChart.gauge(score: score.score, label: score.band.rawValue, id: "hardness-gauge")
                el("p", .cls((score.episodes ?? 0) < profile.minimumEpisodes ? "muted too-few" : "muted")) {
                    "From \(score.episodes ?? 0) episodes of \(profile.runs) test runs" + ((score.episodes ?? 0) < profile.minimumEpisodes ? ": too few to go by." : ".")
                }
                WebParts.stats(score.components.map { ($0.name.replacingOccurrences(of: "_", with: " "), WebFormat.percent($0.value)) }, id: "hardness-components")
                el("table", .id("skill-curve")) {
                    el("caption") { "Hardness by skill" }
                    el("thead") { el("tr") { el("th", Attribute("scope", "col")) { "Skill" }; el("th", Attribute("scope", "col")) { "Hardness" } } }
                    el("tbody") {
                        for point in profile.skillCurve {
                            el("tr") {
                                el("th", Attribute("scope", "row")) { String(point.skill) }
                                el("td", .cls(point.tooFew ? "num too-few" : "num")) {
                                    point.hardness.map { "\(WebFormat.number($0.score, digits: 1)) (\(point.episodes) ep.)" + (point.tooFew ? " · too few" : "") } ?? "—"
                                }
                            }
                        }
                    }
                }
                el("p") {
                    el("a", .href("/api/v1/analysis/maps/\(wadID)?map=\(summary.name)")) { "The whole profile (JSON)" }
                    " · "
                    el("a", .href("/leaderboards?map_id=\(wadID)")) { "This map's leaderboards" }
                }
            } else {
                WebParts.emptyState(profile?.note ?? "No test run without god mode has played this map yet; the hardness comes from those.")
            }
        }
    }

    private func findingsList() -> HTML {
        el("section", Attribute("aria-labelledby", "findings-title")) {
            el("h2", .id("findings-title")) { "Findings (\(findings.count))" }
            el("p", .cls("muted small")) {
                el("a", .href("/bugs?map_id=\(wadID)&level=\(summary.name)"), .id("map-bugs")) { "Every finding of this map" }
                ", with what test runs showed (stuck spots, deaths), across its versions, and their triage."
            }
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
