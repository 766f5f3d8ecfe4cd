/// Draws a map as an SVG picture, to scale, with a viewBox fitted to the map's bounds.
///
/// Map coordinates are used as SVG user units with y negated (Doom's y axis points up, SVG's down), so
/// an overlay point (x, y) is drawn at (x, -y). Layers are `<g>` groups with ids (`walls`, `floors`,
/// `things`, `findings`, `overlays`, `legend`) so pages can style or hide them. The legend sits in a
/// panel to the right of the map.
public struct SVGMapRenderer: Sendable {
    public let geometry: MapGeometry
    public var options: SVGRenderOptions

    public init(geometry: MapGeometry, options: SVGRenderOptions = SVGRenderOptions()) {
        self.geometry = geometry
        self.options = options
    }

    public init(map: DoomMap, options: SVGRenderOptions = SVGRenderOptions()) {
        self.init(geometry: MapGeometry(map), options: options)
    }

    /// The visible area in map units: the bounds plus padding, and the legend panel's width.
    var frame: (minX: Double, minY: Double, width: Double, height: Double, legendWidth: Double) {
        let bounds = geometry.bounds
        let padding = max(options.padding, 0)
        let width = max(bounds.width, 1) + 2 * padding
        let height = max(bounds.height, 1) + 2 * padding
        let legendWidth = options.layers.contains(.legend) ? max(width, height) * 0.3 : 0
        return (bounds.minX - padding, bounds.minY - padding, width, height, legendWidth)
    }

    /// A length in map units that looks about `fraction` of the picture's size.
    var unit: Double { max(frame.width, frame.height) / 1000 }

    public func render(findings: [Finding] = [], overlays: [MapOverlay] = [], route: RouteDrawing? = nil) -> String {
        let frame = self.frame
        let totalWidth = frame.width + frame.legendWidth
        let viewBox = [SVGText.x(frame.minX), SVGText.y(frame.minY + frame.height), SVGText.number(totalWidth), SVGText.number(frame.height)]
        let pixelWidth = min(max(options.pixelWidth, 16), 100_000)
        let pixelHeight = Int(min(max((Double(pixelWidth) * frame.height / totalWidth).rounded(), 16), 100_000))
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="\(viewBox.joined(separator: " "))" width="\(pixelWidth)" height="\(pixelHeight)" \
        data-map="\(SVGText.escape(geometry.map.name))">
        <title>\(SVGText.escape(geometry.map.name + (geometry.map.title.map { ": " + $0 } ?? "")))</title>
        \(SVGMapStyle.css(unit: unit))
        <rect class="background" x="\(SVGText.x(frame.minX))" y="\(SVGText.y(frame.minY + frame.height))" \
        width="\(SVGText.number(totalWidth))" height="\(SVGText.number(frame.height))" fill="\(SVGText.escape(options.background))"/>

        """
        let layers = options.layers
        if layers.contains(.floors) { SVGMapLayers.floors(geometry, into: &svg) }
        if layers.contains(.walls) { SVGMapLayers.walls(geometry, into: &svg) }
        if layers.contains(.things) { SVGMapLayers.things(geometry, into: &svg) }
        if layers.contains(.route), let route { SVGRouteLayer.render(route, unit: unit, into: &svg) }
        if layers.contains(.overlays) { SVGMapLayers.overlays(overlays, unit: unit, into: &svg) }
        if layers.contains(.findings) { SVGMapLayers.findings(findings, unit: unit, into: &svg) }
        if layers.contains(.legend) {
            SVGMapStyle.legend(x: frame.minX + frame.width, top: frame.minY + frame.height, width: frame.legendWidth,
                               height: frame.height, findings: findings, into: &svg)
        }
        svg += "</svg>\n"
        return svg
    }
}
