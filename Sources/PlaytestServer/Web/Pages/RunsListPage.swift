import Foundation
import PlaytestCore
import PlaytestServices

/// All runs, filtered by status, kind and map, with live status badges and the selection that
/// opens the compare view (a plain GET form, so it works without JavaScript).
struct RunsListPage {
    var runs: [RunRow]
    var total: Int
    var offset: Int
    var limit: Int
    var filter: RunFilter
    /// Every map for the filter: (id, label).
    var maps: [(id: String, label: String)]

    func page() -> WebPage {
        WebPage(title: "Runs", section: .runs, kind: "runs", content: group {
            WebParts.pageHeader("Runs")
            filters()
            el("form", .id("compare-form"), Attribute("action", "/runs/compare"), Attribute("method", "get")) {
                el("div", .cls("compare-bar")) {
                    el("button", .type("submit"), .id("compare-submit")) { "Compare selected" }
                    el("span", .id("compare-note"), .cls("muted"), Attribute("aria-live", "polite")) { "Tick 2 to 4 test runs to compare them." }
                }
                el("p", .cls("muted small")) { "\(total) run\(total == 1 ? "" : "s")" + (total > runs.count ? ", showing \(offset + 1)–\(offset + runs.count)" : "") }
                RunsTable(runs: runs, showMap: true, selectable: true).html()
            }
            pager()
        })
    }

    private func filters() -> HTML {
        el("form", .cls("filters"), Attribute("method", "get"), Attribute("action", "/runs"), .label("Filter runs")) {
            el("div", .cls("field")) {
                el("label", .forID("filter-status")) { "Status" }
                el("select", .id("filter-status"), .name("status")) {
                    el("option", .value("")) { "any" }
                    for status in RunStatus.allCases {
                        el("option", .value(status.rawValue), Attribute.flag("selected", filter.status == status)) { status.rawValue }
                    }
                }
            }
            el("div", .cls("field")) {
                el("label", .forID("filter-kind")) { "Kind" }
                el("select", .id("filter-kind"), .name("kind")) {
                    el("option", .value("")) { "any" }
                    for kind in RunKind.allCases {
                        el("option", .value(kind.rawValue), Attribute.flag("selected", filter.kind == kind)) { kind.rawValue }
                    }
                }
            }
            el("div", .cls("field")) {
                el("label", .forID("filter-map")) { "Map" }
                el("select", .id("filter-map"), .name("map_id")) {
                    el("option", .value("")) { "any" }
                    for map in maps {
                        el("option", .value(map.id), Attribute.flag("selected", filter.mapID?.uuidString.lowercased() == map.id)) { map.label }
                    }
                }
            }
            el("button", .type("submit")) { "Filter" }
        }
    }

    private func pager() -> HTML {
        var query: [String] = []
        if let status = filter.status { query.append("status=\(status.rawValue)") }
        if let kind = filter.kind { query.append("kind=\(kind.rawValue)") }
        if let map = filter.mapID { query.append("map_id=\(map.uuidString.lowercased())") }
        let base = "/runs?" + (query.isEmpty ? "" : query.joined(separator: "&") + "&")
        return group {
            if total > limit {
                el("nav", .cls("pager"), .label("Pages")) {
                    if offset > 0 { el("a", .href(base + "offset=\(max(offset - limit, 0))")) { "← Newer" } }
                    el("span") { "\(offset + 1)–\(min(offset + limit, total)) of \(total)" }
                    if offset + limit < total { el("a", .href(base + "offset=\(offset + limit)")) { "Older →" } }
                }
            }
        }
    }
}
