import Foundation
import PlaytestCore
import PlaytestServices

/// The map library: every WAD with a thumbnail, its maps, findings and runs, the upload box and
/// a delete button per WAD.
struct MapsLibraryPage {
    var entries: [MapView]
    var total: Int
    var offset: Int
    var limit: Int
    var maxUploadBytes: Int

    func page() -> WebPage {
        WebPage(title: "Maps", section: .maps, kind: "maps", content: group {
            WebParts.pageHeader("Maps")
            upload()
            el("section", .id("library"), Attribute("aria-labelledby", "library-title")) {
                el("h2", .id("library-title")) { "Library (\(total) WAD\(total == 1 ? "" : "s"))" }
                if entries.isEmpty {
                    WebParts.emptyState("No maps yet. Upload a .wad file above.")
                } else {
                    el("ul", .cls("map-grid"), .id("map-grid")) {
                        for entry in entries { card(entry) }
                    }
                    pager()
                }
            }
        })
    }

    private func upload() -> HTML {
        el("section", .cls("upload needs-user"), Attribute("aria-labelledby", "upload-title")) {
            el("h2", .id("upload-title")) { "Upload a WAD" }
            el("form", .id("upload-form"), Attribute("action", "/api/v1/maps/upload"), Attribute("method", "post"),
               Attribute("enctype", "multipart/form-data"), .data("max-bytes", String(maxUploadBytes))) {
                el("div", .cls("dropzone"), .id("dropzone")) {
                    el("p") { "Drop a .wad file here, or choose one." }
                    el("label", .forID("upload-file")) { "WAD file" }
                    el("input", .type("file"), .id("upload-file"), .name("file"), Attribute("accept", ".wad,.WAD"), Attribute("required", ""))
                    el("label", .forID("upload-name")) { "Name (optional)" }
                    el("input", .type("text"), .id("upload-name"), .name("name"), Attribute("maxlength", "120"), Attribute("autocomplete", "off"))
                    el("button", .type("submit")) { "Upload" }
                }
                el("progress", .id("upload-progress"), Attribute("max", "100"), .value("0"), Attribute("hidden", ""), .label("Upload progress"))
                el("p", .id("upload-status"), .cls("upload-status"), Attribute("aria-live", "polite"))
            }
        }
    }

    private func card(_ record: MapView) -> HTML {
        let entry = record
        let summaries = record.maps
        let findings = record.findings
        let first = summaries.first?.name
        let runs = record.trainCount + record.testCount
        return el("li", .cls("map-card"), .data("map-id", entry.id)) {
            el("a", .cls("thumb"), .href("/maps/\(entry.id)"), Attribute("tabindex", "-1"), Attribute("aria-hidden", "true")) {
                if let first {
                    el("img", Attribute("src", "/api/v1/maps/\(entry.id)/maps/\(first)/render.svg?layers=floors,walls&width=240"),
                       Attribute("alt", ""), Attribute("loading", "lazy"), Attribute("width", "240"), Attribute("height", "160"))
                }
            }
            el("div", .cls("card-body")) {
                el("h3") { el("a", .href("/maps/\(entry.id)")) { record.name } }
                el("p", .cls("muted small")) {
                    record.filename + " · " + WebFormat.bytes(record.sizeBytes) + (record.builtin ? " · built-in" : "")
                }
                el("dl", .cls("counts")) {
                    el("div") { el("dt") { "Maps" }; el("dd", .data("count", "maps")) { String(summaries.count) } }
                    el("div") {
                        el("dt") { "Findings" }
                        el("dd", .data("count", "findings"), .title("\(findings.error) errors, \(findings.warning) warnings, \(findings.info) info")) {
                            String(findings.error + findings.warning + findings.info)
                        }
                    }
                    el("div") { el("dt") { "Runs" }; el("dd", .data("count", "runs")) { String(runs) } }
                }
                if !record.builtin {
                    el("button", .type("button"), .cls("danger small needs-user"), .data("delete-map", entry.id), .data("name", record.name),
                       .label("Delete \(record.name)")) { "Delete" }
                }
            }
        }
    }

    private func pager() -> HTML {
        group {
            if total > limit {
                el("nav", .cls("pager"), .label("Pages")) {
                    if offset > 0 {
                        el("a", .href("/?offset=\(max(offset - limit, 0))")) { "← Newer" }
                    }
                    el("span") { "\(offset + 1)–\(min(offset + limit, total)) of \(total)" }
                    if offset + limit < total {
                        el("a", .href("/?offset=\(offset + limit)")) { "Older →" }
                    }
                }
            }
        }
    }
}
