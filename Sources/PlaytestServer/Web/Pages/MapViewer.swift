/// A map picture that can be zoomed and panned (by `/app.js`: wheel, drag, buttons, keys), with
/// layer toggles that work without JavaScript (CSS `:has()` hides unchecked layers).
struct MapViewer {
    var picture: MapPicture
    var label: String
    /// Overlay layers present in the picture besides things and findings: "trajectories", "deaths", "heatmap".
    var overlayLayers: [String]
    /// Whether the picture has the static findings layer.
    var hasFindings = true

    func html() -> HTML {
        el("section", .cls("map-viewer"), .label(label)) {
            el("div", .cls("viewer-bar")) {
                el("fieldset", .cls("layers")) {
                    el("legend") { "Layers" }
                    toggle("things", "Things")
                    if hasFindings { toggle("findings", "Findings") }
                    for layer in overlayLayers { toggle(layer, Self.title(layer)) }
                }
                el("div", .cls("zoom-controls"), .role("group"), .label("Zoom")) {
                    el("button", .type("button"), .data("zoom", "in"), .label("Zoom in")) { "+" }
                    el("button", .type("button"), .data("zoom", "out"), .label("Zoom out")) { "−" }
                    el("button", .type("button"), .data("zoom", "reset")) { "Fit" }
                }
            }
            el("div", .cls("map-canvas"), Attribute("tabindex", "0"), .role("img"),
               .label("\(label). Drag or use the arrow keys to pan; + and − zoom.")) {
                HTML.svg(picture)
            }
        }
    }

    private func toggle(_ layer: String, _ title: String) -> HTML {
        el("label", .cls("toggle")) {
            el("input", .type("checkbox"), .data("layer", layer), Attribute("checked", ""))
            " " + title
        }
    }

    static func title(_ layer: String) -> String {
        switch layer {
        case "trajectories": "Trajectories"
        case "deaths": "Deaths"
        case "heatmap": "Heatmap"
        case "route": "Planned route"
        case "run-findings": "Findings"
        default: layer
        }
    }
}
