/// The map picture's stylesheet and legend.
enum SVGMapStyle {
    struct Swatch {
        let cssClass: String
        let label: String
        let shape: Shape
        enum Shape { case line, circle, square, triangle }
    }

    static let swatches: [Swatch] = [
        Swatch(cssClass: "wall", label: "Wall (one-sided)", shape: .line),
        Swatch(cssClass: "two-sided", label: "Two-sided line", shape: .line),
        Swatch(cssClass: "door", label: "Door", shape: .line),
        Swatch(cssClass: "exit", label: "Exit", shape: .line),
        Swatch(cssClass: "teleport", label: "Teleporter", shape: .line),
        Swatch(cssClass: "thing playerStart", label: "Player start", shape: .triangle),
        Swatch(cssClass: "thing deathmatchStart", label: "Deathmatch start", shape: .triangle),
        Swatch(cssClass: "thing monster", label: "Monster", shape: .circle),
        Swatch(cssClass: "thing weapon", label: "Weapon", shape: .square),
        Swatch(cssClass: "thing ammo", label: "Ammo", shape: .square),
        Swatch(cssClass: "thing health", label: "Health", shape: .square),
        Swatch(cssClass: "thing armor", label: "Armor", shape: .square),
        Swatch(cssClass: "thing key", label: "Key", shape: .square),
        Swatch(cssClass: "thing powerup", label: "Power-up", shape: .square),
        Swatch(cssClass: "thing other", label: "Other thing", shape: .square),
        Swatch(cssClass: "finding error", label: "Finding: error", shape: .circle),
        Swatch(cssClass: "finding warning", label: "Finding: warning", shape: .circle),
        Swatch(cssClass: "finding info", label: "Finding: info", shape: .circle),
    ]

    static func css(unit: Double) -> String {
        """
        <style>
        #walls line { vector-effect: non-scaling-stroke; stroke-linecap: round; }
        .wall line, line.wall { stroke: #1b1b1b; stroke-width: 1.6px; }
        .two-sided line, line.two-sided { stroke: #a7a39a; stroke-width: 0.8px; }
        .door line, line.door { stroke: #c26d00; stroke-width: 2.6px; }
        .exit line, line.exit { stroke: #d1006f; stroke-width: 3px; }
        .teleport line, line.teleport { stroke: #2a7fff; stroke-width: 2px; }
        .thing { stroke: #222; stroke-width: 0.6px; vector-effect: non-scaling-stroke; fill-opacity: 0.85; }
        .playerStart { fill: #1a9e3f; } .deathmatchStart { fill: #7fd18f; }
        .monster { fill: #d62728; } .weapon { fill: #8c564b; } .ammo { fill: #bcbd22; } .health { fill: #17becf; }
        .armor { fill: #1f77b4; } .key { fill: #ffbf00; } .powerup { fill: #9467bd; } .teleportDestination, .other { fill: #b0b0b0; }
        .player-number { fill: #fff; font-family: sans-serif; font-weight: bold; text-anchor: middle; dominant-baseline: central; }
        .finding { fill-opacity: 0.25; stroke-width: 2px; vector-effect: non-scaling-stroke; }
        .finding.error { fill: #e00; stroke: #e00; } .finding.warning { fill: #f90; stroke: #f90; } .finding.info { fill: #39f; stroke: #39f; }
        .legend text, .marker-label { font-family: sans-serif; fill: #222; }
        .legend-panel { fill: #fff; stroke: #ccc; vector-effect: non-scaling-stroke; }
        \(SVGRouteLayer.css)
        </style>
        """
    }

    static func legend(x: Double, top: Double, width: Double, height: Double, findings: [Finding], into svg: inout String) {
        guard width > 0 else { return }
        let rowHeight = min(height / Double(swatches.count + 3), width / 8)
        let fontSize = rowHeight * 0.6
        let left = x + rowHeight * 0.5
        svg += "<g id=\"legend\" class=\"legend\">\n"
        svg += "<rect class=\"legend-panel\" x=\"\(SVGText.x(x))\" y=\"\(SVGText.y(top))\" width=\"\(SVGText.number(width))\" height=\"\(SVGText.number(height))\"/>\n"
        let counts = FindingCounts(findings)
        for (row, swatch) in swatches.enumerated() {
            let centerY = top - rowHeight * (Double(row) + 1)
            let cx = left + rowHeight * 0.5
            let size = rowHeight * 0.6
            switch swatch.shape {
            case .line:
                svg += "<line class=\"\(swatch.cssClass)\" x1=\"\(SVGText.x(left))\" y1=\"\(SVGText.y(centerY))\" x2=\"\(SVGText.x(left + rowHeight))\" y2=\"\(SVGText.y(centerY))\" vector-effect=\"non-scaling-stroke\"/>\n"
            case .circle:
                svg += "<circle class=\"\(swatch.cssClass)\" cx=\"\(SVGText.x(cx))\" cy=\"\(SVGText.y(centerY))\" r=\"\(SVGText.number(size / 2))\"/>\n"
            case .square:
                svg += "<rect class=\"\(swatch.cssClass)\" x=\"\(SVGText.x(cx - size / 2))\" y=\"\(SVGText.y(centerY + size / 2))\" width=\"\(SVGText.number(size))\" height=\"\(SVGText.number(size))\"/>\n"
            case .triangle:
                let points = [(cx + size / 2, centerY), (cx - size / 2, centerY + size / 2), (cx - size / 2, centerY - size / 2)]
                svg += "<polygon class=\"\(swatch.cssClass)\" points=\"\(points.map { "\(SVGText.x($0.0)),\(SVGText.y($0.1))" }.joined(separator: " "))\"/>\n"
            }
            var label = swatch.label
            if swatch.cssClass == "finding error" { label += " (\(counts.error))" }
            if swatch.cssClass == "finding warning" { label += " (\(counts.warning))" }
            if swatch.cssClass == "finding info" { label += " (\(counts.info))" }
            svg += "<text x=\"\(SVGText.x(left + rowHeight * 1.4))\" y=\"\(SVGText.y(centerY - fontSize * 0.35))\" font-size=\"\(SVGText.number(fontSize))\">\(SVGText.escape(label))</text>\n"
        }
        svg += "</g>\n"
    }
}
