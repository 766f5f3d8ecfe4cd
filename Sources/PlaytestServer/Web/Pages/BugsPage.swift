import Foundation
import PlaytestCore
import PlaytestServices

/// The bug dashboard (`/bugs`): every map's findings, static and from play, with the API's filters, counts by
/// severity and kind, and a table linking each finding to its page.
struct BugsPage {
    struct Query {
        var mapID, level, runID, kind, severity, status, text: String?
        var offset = 0

        /// The query string for the same filters at another offset.
        func link(offset: Int) -> String {
            var items: [String] = []
            for (name, value) in [("map_id", mapID), ("level", level), ("run_id", runID), ("kind", kind), ("severity", severity),
                                  ("status", status), ("q", text)] {
                if let value { items.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            items.append("offset=\(offset)")
            return "/bugs?" + items.joined(separator: "&")
        }
    }

    var list: FindingList
    var query: Query
    var maps: [(id: String, name: String)]

    func page() -> WebPage {
        WebPage(title: "Bugs", section: .bugs, kind: "bugs", content: group {
            WebParts.pageHeader("Bugs")
            el("p", .cls("muted")) {
                "Every map's findings: what its checks and the planner say, and what test runs showed (stuck spots, deaths, "
                    + "leaving the map). A finding is one place: sightings of the same kind within 64 units count as one, across "
                    + "versions and runs. Choose a map to record its checks."
            }
            filters()
            WebParts.stats([("Findings", count(list.total))] + FindingSeverity.allCases.map { ($0.rawValue.capitalized, count(list.bySeverity[$0.rawValue] ?? 0)) },
                           id: "bug-counts")
            if !list.countsExact {
                el("p", .cls("muted small")) {
                    "More than \(list.total) findings match the search: the counts are of the first \(list.total) found. Narrow it to count them all."
                }
            }
            if !list.byKind.isEmpty {
                el("p", .id("bug-kinds"), .cls("muted small")) {
                    list.byKind.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \(count($0.value))" }.joined(separator: " · ")
                }
            }
            if list.findings.isEmpty {
                WebParts.emptyState(query.mapID == nil && query.runID == nil
                    ? "No finding matches. Findings appear as test runs finish, or when you choose a map."
                    : "No finding matches these filters.")
            } else {
                table()
                pager()
            }
        })
    }

    private func select(_ label: String, _ name: String, _ choices: [(String, String)], _ chosen: String?) -> HTML {
        el("div", .cls("field")) {
            el("label", .forID("bug-\(name)")) { label }
            el("select", .id("bug-\(name)"), .name(name)) {
                el("option", .value("")) { "any" }
                for (value, text) in choices { el("option", .value(value), Attribute.flag("selected", chosen == value)) { text } }
            }
        }
    }

    private func filters() -> HTML {
        el("form", .cls("filters"), Attribute("method", "get"), Attribute("action", "/bugs"), .label("Filter findings")) {
            select("Map", "map_id", maps.map { ($0.id, $0.name) }, query.mapID)
            el("div", .cls("field")) {
                el("label", .forID("bug-level")) { "Level" }
                el("input", .id("bug-level"), .name("level"), .value(query.level), Attribute("placeholder", "MAP01"), Attribute("size", "6"))
            }
            select("Severity", "severity", FindingSeverity.allCases.map { ($0.rawValue, $0.rawValue) }, query.severity)
            select("Status", "status", FindingStatus.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }, query.status)
            el("div", .cls("field")) {
                el("label", .forID("bug-kind")) { "Kind" }
                el("input", .id("bug-kind"), .name("kind"), .value(query.kind), Attribute("placeholder", "stuck"), Attribute("size", "14"))
            }
            el("div", .cls("field")) {
                el("label", .forID("bug-q")) { "Text" }
                el("input", .id("bug-q"), .name("q"), .value(query.text), Attribute("type", "search"))
            }
            if let run = query.runID { el("input", .type("hidden"), .name("run_id"), .value(run)) }
            el("button", .type("submit")) { "Filter" }
        }
    }

    private func table() -> HTML {
        el("div", .cls("table-wrap")) {
            el("table", .id("bugs-table")) {
                el("thead") {
                    el("tr") {
                        for title in ["Severity", "Kind", "Map", "What", "Seen", "Status", "Newest version"] {
                            el("th", Attribute("scope", "col"), .cls(title == "Seen" ? "num" : nil)) { title }
                        }
                    }
                }
                el("tbody") {
                    for finding in list.findings {
                        let record = finding.record
                        el("tr", .data("finding", record.id)) {
                            el("td") { el("span", .cls("badge severity-\(record.severity.rawValue)")) { record.severity.rawValue } }
                            el("td") { el("a", .href("/bugs/\(record.id)")) { record.kind } }
                            el("td") { "\(record.mapName) \(record.level)" }
                            el("td") { record.message }
                            el("td", .cls("num"), .title("last seen \(WebFormat.date(record.lastSeen))")) { String(record.occurrences) + "×" }
                            el("td") { record.status.rawValue.replacingOccurrences(of: "_", with: " ") }
                            el("td") { finding.latest.rawValue.replacingOccurrences(of: "_", with: " ") }
                        }
                    }
                }
            }
        }
    }

    /// A count as shown: "500+" where the search counted only its first matches (none among them: not known, "–").
    private func count(_ n: Int) -> String { list.countsExact ? String(n) : n == 0 ? "–" : "\(n)+" }

    private func pager() -> HTML {
        el("p", .cls("muted small")) {
            "Showing \(list.offset + 1)–\(list.offset + list.findings.count) of \(count(list.total)). "
            if list.offset > 0 { el("a", .href(query.link(offset: max(0, list.offset - list.limit)))) { "← previous" } }
            " "
            let more = list.countsExact ? list.offset + list.findings.count < list.total : list.findings.count == list.limit
            if more { el("a", .href(query.link(offset: list.offset + list.limit))) { "next →" } }
        }
    }
}

/// One finding (`/bugs/{id}`): where on the map, every sighting's evidence (the screenshot of the moment, the demo),
/// the comments, and the triage form for the map's owner or an admin (`/app.js` sends it to `PATCH /api/v1/bugs/{id}`).
struct BugPage {
    var detail: FindingDetail
    /// The map drawn with the finding's place marked; nil when no version of the map can be read.
    var picture: MapPicture?

    func page() -> WebPage {
        let record = detail.finding.record
        return WebPage(title: "\(record.kind) in \(record.mapName) \(record.level)", section: .bugs, kind: "bug", content: group {
            el("p") { el("a", .href("/bugs")) { "← every bug" }; " · "; el("a", .href(detail.finding.mapURL)) { "the map" } }
            WebParts.pageHeader(record.kind.replacingOccurrences(of: "_", with: " ").capitalized + " · \(record.mapName) \(record.level)")
            el("p", .id("bug-message")) { el("span", .cls("badge severity-\(record.severity.rawValue)")) { record.severity.rawValue }; " "; record.message }
            WebParts.stats([
                ("Status", record.status.rawValue.replacingOccurrences(of: "_", with: " ")
                    + (detail.finding.statusByEmail.map { " (by \($0))" } ?? "")),
                ("Seen", "\(record.occurrences)×"),
                ("First seen", WebFormat.date(record.firstSeen)),
                ("Last seen", WebFormat.date(record.lastSeen)),
                ("Newest version", detail.finding.latest.rawValue.replacingOccurrences(of: "_", with: " ")),
                ("Place", "(\(Int(record.x)), \(Int(record.y)))" + (record.line.map { ", line \($0)" } ?? "") + (record.sector.map { ", sector \($0)" } ?? "")),
            ], id: "bug-stats")
            if let picture {
                el("figure", .cls("map-picture"), .id("bug-map")) {
                    HTML.svg(picture)
                    el("figcaption", .cls("muted small")) { "The finding's place is ringed in red." }
                }
            }
            triageForm()
            sightings()
            comments()
        })
    }

    private func triageForm() -> HTML {
        let record = detail.finding.record
        return el("form", .id("triage-form"), .cls("filters needs-user"), .data("triage", record.id), .label("Triage")) {
            el("div", .cls("field")) {
                el("label", .forID("triage-status")) { "Status" }
                el("select", .id("triage-status"), .name("status")) {
                    for status in FindingStatus.allCases {
                        el("option", .value(status.rawValue), Attribute.flag("selected", status == record.status)) {
                            status.rawValue.replacingOccurrences(of: "_", with: " ")
                        }
                    }
                }
            }
            el("div", .cls("field")) {
                el("label", .forID("triage-comment")) { "Comment" }
                el("input", .id("triage-comment"), .name("comment"), Attribute("maxlength", String(Findings.maxComment)), Attribute("size", "40"))
            }
            el("button", .type("submit")) { "Save" }
        }
    }

    private func sightings() -> HTML {
        let record = detail.finding.record
        return el("section", Attribute("aria-labelledby", "sightings-title")) {
            el("h2", .id("sightings-title")) { "Sightings (latest \(detail.sightings.count))" }
            el("ul", .id("sightings"), .cls("milestones")) {
                for sighting in detail.sightings {
                    let seen = sighting.sighting
                    el("li") {
                        if let url = sighting.screenshotURL {
                            el("a", .href(url), .data("screenshot", ""), .data("caption", "\(record.kind) at tic \(seen.tic ?? 0)")) {
                                el("img", Attribute("src", url), Attribute("alt", "The moment it was seen"), Attribute("loading", "lazy"),
                                   Attribute("width", "160"), Attribute("height", "120"))
                            }
                        }
                        if let run = seen.runID {
                            el("a", .href("/runs/\(run)")) { "run \(run)" }
                            " episode \(seen.episode ?? 0) at \(WebFormat.seconds(Double(seen.tic ?? 0) / AgentProtocol.ticsPerSecond))"
                        } else {
                            "the map's checks, version \(seen.mapID.prefix(8))"
                        }
                        if let video = sighting.videoURL { " · "; el("a", .href(video), .cls("watch")) { "watch the moment" } }
                        if let demo = sighting.demoURL { " · "; el("a", .href(demo)) { "demo" } }
                        el("span", .cls("muted")) { " · \(WebFormat.date(seen.seenAt))" }
                    }
                }
            }
        }
    }

    private func comments() -> HTML {
        el("section", Attribute("aria-labelledby", "comments-title")) {
            el("h2", .id("comments-title")) { "Comments" }
            if detail.comments.isEmpty {
                WebParts.emptyState("No comment yet.")
            } else {
                el("ol", .id("comments")) {
                    for comment in detail.comments {
                        el("li") { el("strong") { comment.comment.author }; el("span", .cls("muted")) { " · \(WebFormat.date(comment.comment.createdAt))" }; el("p") { comment.comment.body } }
                    }
                }
            }
        }
    }
}
