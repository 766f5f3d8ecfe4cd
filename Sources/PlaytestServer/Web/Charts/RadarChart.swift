import Foundation

extension SVGChart {
    /// One polygon per item over shared axes, each value 0…1 (a missing value sits at the centre and is named in the
    /// point's tooltip). Up to six items, coloured `series-1`…`series-6`.
    static func radar(axes: [String], items: [(name: String, values: [Double?])], title: String, id: String? = nil) -> HTML {
        let size = 360.0, centre = 180.0, radius = 130.0
        func point(_ axis: Int, _ value: Double) -> (x: Double, y: Double) {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(axis) / Double(max(axes.count, 1))
            return (centre + radius * value * cos(angle), centre + radius * value * sin(angle))
        }
        return el("figure", .cls("chart radar"), .id(id)) {
            el("figcaption") { title }
            el("svg", Attribute("viewBox", "0 0 \(Int(size)) \(Int(size))"), .role("img"), .label(title)) {
                for ring in [0.25, 0.5, 0.75, 1.0] {
                    el("polygon", .cls("grid"), Attribute("points", axes.indices.map { let p = point($0, ring); return "\(fmt(p.x)),\(fmt(p.y))" }.joined(separator: " ")))
                }
                for (index, axis) in axes.enumerated() {
                    let end = point(index, 1), label = point(index, 1.16)
                    el("line", .cls("grid"), Attribute("x1", fmt(centre)), Attribute("y1", fmt(centre)), Attribute("x2", fmt(end.x)), Attribute("y2", fmt(end.y)))
                    el("text", Attribute("x", fmt(label.x)), Attribute("y", fmt(label.y + 4)), Attribute("text-anchor", "middle")) { axis }
                }
                for (index, item) in items.enumerated() {
                    let color = "series-\(index % 6 + 1)"
                    let points = item.values.enumerated().map { point($0.offset, min(max($0.element ?? 0, 0), 1)) }
                    el("polygon", .cls("\(color) area"), Attribute("points", points.map { "\(fmt($0.x)),\(fmt($0.y))" }.joined(separator: " "))) {
                        el("title") { item.name }
                    }
                    for (axis, spot) in points.enumerated() {
                        el("circle", .cls(color), Attribute("cx", fmt(spot.x)), Attribute("cy", fmt(spot.y)), Attribute("r", "3")) {
                            el("title") { "\(item.name) · \(axes[axis]): " + (item.values[axis].map { WebFormat.percent($0) } ?? "no data") }
                        }
                    }
                }
            }
            legend(items.enumerated().map { Series(name: $0.element.name, points: [], color: $0.offset % 6 + 1) })
        }
    }

    /// A half-dial from 0 to 100 with the easy, moderate, hard and brutal bands and a needle at `score`.
    static func gauge(score: Double, label: String, id: String? = nil) -> HTML {
        let centre = (x: 110.0, y: 110.0), radius = 90.0
        func spot(_ value: Double, _ r: Double) -> (x: Double, y: Double) {
            let angle = Double.pi * (1 - min(max(value, 0), 100) / 100)
            return (centre.x + r * cos(angle), centre.y - r * sin(angle))
        }
        func arc(_ from: Double, _ to: Double) -> String {
            let a = spot(from, radius), b = spot(to, radius)
            return "M \(fmt(a.x)) \(fmt(a.y)) A \(fmt(radius)) \(fmt(radius)) 0 0 1 \(fmt(b.x)) \(fmt(b.y))"
        }
        let needle = spot(score, radius - 14)
        return el("figure", .cls("chart gauge"), .id(id)) {
            el("svg", Attribute("viewBox", "0 0 220 130"), .role("img"), .label("Hardness \(WebFormat.number(score, digits: 1)) of 100, \(label)")) {
                for (index, band) in [(0.0, 25.0), (25, 50), (50, 75), (75, 100)].enumerated() {
                    el("path", .cls("band band-\(index + 1)"), Attribute("d", arc(band.0, band.1)))
                }
                el("line", .cls("needle"), Attribute("x1", fmt(centre.x)), Attribute("y1", fmt(centre.y)), Attribute("x2", fmt(needle.x)), Attribute("y2", fmt(needle.y)))
                el("circle", .cls("needle"), Attribute("cx", fmt(centre.x)), Attribute("cy", fmt(centre.y)), Attribute("r", "5"))
                el("text", .cls("gauge-score"), Attribute("x", fmt(centre.x)), Attribute("y", "98"), Attribute("text-anchor", "middle")) {
                    WebFormat.number(score, digits: 1)
                }
                el("text", Attribute("x", fmt(centre.x)), Attribute("y", "126"), Attribute("text-anchor", "middle")) { label }
            }
        }
    }
}
