import Foundation

/// Writes the map layers of ``SVGMapRenderer``.
enum SVGMapLayers {
    static func floors(_ geometry: MapGeometry, into svg: inout String) {
        let sectors = geometry.map.sectors
        let heights = sectors.map(\.floorHeight).filter(\.isFinite)
        let low = heights.min() ?? 0, high = heights.max() ?? 0
        svg += "<g id=\"floors\">\n"
        for polygon in geometry.sectorPolygons where !polygon.loops.isEmpty {
            let floor = sectors[polygon.sector].floorHeight
            let shade = high > low && floor.isFinite ? (floor - low) / (high - low) : 0.5
            let lightness = Int(88 - shade * 18)
            var path = ""
            for loop in polygon.loops {
                guard let first = loop.points.first else { continue }
                path += "M\(SVGText.x(first.x)) \(SVGText.y(first.y))"
                for point in loop.points.dropFirst() { path += "L\(SVGText.x(point.x)) \(SVGText.y(point.y))" }
                path += "Z"
            }
            svg += "<path class=\"sector\" data-sector=\"\(polygon.sector)\" fill=\"hsl(40,12%,\(lightness)%)\" d=\"\(path)\"/>\n"
        }
        svg += "</g>\n"
    }

    static func walls(_ geometry: MapGeometry, into svg: inout String) {
        let map = geometry.map
        var groups: [String: String] = [:]
        for (index, line) in map.linedefs.enumerated() {
            guard line.start >= 0, line.start < map.vertices.count, line.end >= 0, line.end < map.vertices.count else { continue }
            let a = map.vertices[line.start], b = map.vertices[line.end]
            let cssClass: String
            switch LineSpecials.role(of: line, in: map) {
            case .exit, .secretExit: cssClass = "exit"
            case .door: cssClass = "door"
            case .teleport: cssClass = "teleport"
            case .other, .none: cssClass = line.backSide == nil ? "wall" : "two-sided"
            }
            groups[cssClass, default: ""] += "<line data-line=\"\(index)\" x1=\"\(SVGText.x(a.x))\" y1=\"\(SVGText.y(a.y))\" x2=\"\(SVGText.x(b.x))\" y2=\"\(SVGText.y(b.y))\"/>\n"
        }
        svg += "<g id=\"walls\">\n"
        // Lighter lines first, so walls, doors and exits draw on top.
        for cssClass in ["two-sided", "wall", "teleport", "door", "exit"] {
            guard let lines = groups[cssClass] else { continue }
            svg += "<g class=\"\(cssClass)\">\n\(lines)</g>\n"
        }
        svg += "</g>\n"
    }

    static func things(_ geometry: MapGeometry, into svg: inout String) {
        svg += "<g id=\"things\">\n"
        // Items first, then monsters, then starts, so the things players care most about stay visible on top.
        func layer(_ category: ThingCategory) -> Int {
            switch category {
            case .playerStart: return 3
            case .deathmatchStart: return 2
            case .monster: return 1
            default: return 0
            }
        }
        let ordered = geometry.map.things.enumerated().sorted {
            (layer(ThingCatalog.category(of: $0.element.type)), $0.offset) < (layer(ThingCatalog.category(of: $1.element.type)), $1.offset)
        }
        for (index, thing) in ordered where thing.position.isUsable {
            let category = ThingCatalog.category(of: thing.type)
            let radius = ThingCatalog.radius(of: thing.type)
            let x = SVGText.x(thing.x), y = SVGText.y(thing.y)
            let name = SVGText.escape(ThingCatalog.kind(of: thing.type)?.name ?? "Thing type \(thing.type)")
            let title = "<title>\(index): \(name)</title>"
            switch category {
            case .playerStart, .deathmatchStart:
                // A triangle pointing where the player faces.
                let angle = Double(thing.angle) * Double.pi / 180
                let r = radius * 1.6
                let points = [0.0, 2.5, -2.5].map { offset -> String in
                    let a = angle + offset
                    let scale = offset == 0 ? r : r * 0.8
                    return "\(SVGText.x(thing.x + scale * cos(a))),\(SVGText.y(thing.y + scale * sin(a)))"
                }
                svg += "<polygon class=\"thing \(category.rawValue)\" points=\"\(points.joined(separator: " "))\">\(title)</polygon>\n"
                if let player = ThingCatalog.playerNumber(of: thing.type) {
                    svg += "<text class=\"player-number\" x=\"\(x)\" y=\"\(y)\" font-size=\"\(SVGText.number(radius * 1.4))\">\(player)</text>\n"
                }
            case .monster:
                svg += "<circle class=\"thing monster\" cx=\"\(x)\" cy=\"\(y)\" r=\"\(SVGText.number(radius))\">\(title)</circle>\n"
            default:
                let side = SVGText.number(radius * 1.2)
                svg += "<rect class=\"thing \(category.rawValue)\" x=\"\(SVGText.x(thing.x - radius * 0.6))\" y=\"\(SVGText.y(thing.y + radius * 0.6))\" width=\"\(side)\" height=\"\(side)\">\(title)</rect>\n"
            }
        }
        svg += "</g>\n"
    }

    static func findings(_ findings: [Finding], unit: Double, into svg: inout String) {
        svg += "<g id=\"findings\">\n"
        for finding in findings where finding.location.isUsable {
            let r = SVGText.number(unit * 12)
            svg += "<circle class=\"finding \(finding.severity.rawValue)\" data-kind=\"\(finding.kind.rawValue)\" cx=\"\(SVGText.x(finding.location.x))\" cy=\"\(SVGText.y(finding.location.y))\" r=\"\(r)\"><title>\(SVGText.escape(finding.message))</title></circle>\n"
        }
        svg += "</g>\n"
    }

    static func overlays(_ overlays: [MapOverlay], unit: Double, into svg: inout String) {
        svg += "<g id=\"overlays\">\n"
        for overlay in overlays {
            switch overlay {
            case let .polyline(points, style):
                let coordinates = points.filter(\.isUsable).map { "\(SVGText.x($0.x)),\(SVGText.y($0.y))" }.joined(separator: " ")
                svg += "<polyline class=\"overlay\(style.cssClass.map { " " + SVGText.escape($0) } ?? "")\" points=\"\(coordinates)\" \(attributes(style))/>\n"
            case let .heatmap(cells, cellSize, lowColor, highColor):
                let size = SVGText.number(max(cellSize, 0))
                svg += "<g class=\"overlay heatmap\">\n"
                for cell in cells where MapPoint(x: cell.x, y: cell.y).isUsable && cell.value.isFinite {
                    let value = min(max(cell.value, 0), 1)
                    svg += "<rect x=\"\(SVGText.x(cell.x))\" y=\"\(SVGText.y(cell.y + cellSize))\" width=\"\(size)\" height=\"\(size)\" fill=\"\(SVGText.escape(SVGText.mix(lowColor, highColor, value)))\" fill-opacity=\"\(SVGText.number(0.15 + 0.6 * value))\"/>\n"
                }
                svg += "</g>\n"
            case let .marker(point, radius, label, style):
                guard point.isUsable else { continue }
                svg += "<circle class=\"overlay marker\(style.cssClass.map { " " + SVGText.escape($0) } ?? "")\" cx=\"\(SVGText.x(point.x))\" cy=\"\(SVGText.y(point.y))\" r=\"\(SVGText.number(max(radius, 0)))\" \(attributes(style))>\(label.map { "<title>\(SVGText.escape($0))</title>" } ?? "")</circle>\n"
                if let label, style.labelBeside {
                    svg += "<text class=\"marker-label\" x=\"\(SVGText.x(point.x + max(radius, 0) + unit * 4))\" y=\"\(SVGText.y(point.y))\" font-size=\"\(SVGText.number(unit * 14))\">\(SVGText.escape(label))</text>\n"
                }
            }
        }
        svg += "</g>\n"
    }

    private static func attributes(_ style: OverlayStyle) -> String {
        "stroke=\"\(SVGText.escape(style.stroke))\" fill=\"\(SVGText.escape(style.fill))\" stroke-width=\"\(SVGText.number(style.strokeWidth))\" opacity=\"\(SVGText.number(style.opacity))\" vector-effect=\"non-scaling-stroke\""
    }
}
