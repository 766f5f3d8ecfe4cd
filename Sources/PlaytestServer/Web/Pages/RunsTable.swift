import Foundation
import PlaytestCore
import PlaytestServices

/// One run as lists show it.
struct RunRow: Sendable {
    var id: String
    var kind: String
    var status: String
    var mapID: String
    /// The map inside the WAD and the library entry's name.
    var map: String
    var mapName: String
    var agent: String
    var createdAt: Date?
    var error: String?

    init(_ run: RunView) {
        id = run.id
        kind = run.kind.rawValue
        status = run.status.rawValue
        mapID = run.mapID
        map = run.map
        mapName = run.mapName
        agent = run.checkpoint.map { "\(run.agent) (\($0))" } ?? run.agent
        createdAt = run.createdAt
        error = run.error
    }
}

/// The table of runs used by the runs list and the map page. With `selectable`, test runs get a
/// checkbox named `id` so the surrounding form can open the compare view (works without JS).
struct RunsTable {
    var runs: [RunRow]
    var showMap: Bool
    var selectable: Bool

    func html() -> HTML {
        group {
            if runs.isEmpty {
                WebParts.emptyState("No runs yet.")
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .cls("runs"), .id("runs-table")) {
                        el("thead") {
                            el("tr") {
                                if selectable { el("th", Attribute("scope", "col")) { el("span", .cls("visually-hidden")) { "Compare" } } }
                                el("th", Attribute("scope", "col")) { "Run" }
                                el("th", Attribute("scope", "col")) { "Kind" }
                                if showMap { el("th", Attribute("scope", "col")) { "Map" } }
                                el("th", Attribute("scope", "col")) { "Agent" }
                                el("th", Attribute("scope", "col")) { "Status" }
                                el("th", Attribute("scope", "col")) { "Created (UTC)" }
                            }
                        }
                        el("tbody") {
                            for run in runs { row(run) }
                        }
                    }
                }
            }
        }
    }

    private func row(_ run: RunRow) -> HTML {
        el("tr", .data("run-id", run.id)) {
            if selectable {
                el("td") {
                    if run.kind == "testing" {
                        el("input", .type("checkbox"), .name("id"), .value(run.id), .id("cmp-\(run.id)"), .label("Compare \(run.id)"))
                    }
                }
            }
            el("td") { el("a", .href("/runs/\(run.id)")) { el("code") { run.id } } }
            el("td") { run.kind }
            if showMap {
                el("td") {
                    el("a", .href("/maps/\(run.mapID)?map=\(run.map)")) { run.map }
                    el("span", .cls("muted small")) { " " + run.mapName }
                }
            }
            el("td") { run.agent }
            el("td") { WebParts.statusBadge(run.status, runID: run.id) }
            el("td") {
                if let created = run.createdAt {
                    el("time", Attribute("datetime", WebFormat.iso(created))) { WebFormat.date(created) }
                } else {
                    "–"
                }
            }
        }
    }
}
