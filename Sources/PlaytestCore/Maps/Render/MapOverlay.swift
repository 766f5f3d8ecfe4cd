/// How an overlay is drawn. Colors are any CSS color; `strokeWidth` is in screen pixels (it does not scale with the map).
public struct OverlayStyle: Sendable, Hashable {
    public var stroke: String
    public var fill: String
    public var strokeWidth: Double
    public var opacity: Double
    /// Extra CSS class names, so pages can style or toggle overlays.
    public var cssClass: String?
    /// A marker's label written beside it; without, the label is its tooltip only.
    public var labelBeside: Bool

    public init(stroke: String = "#1f77b4", fill: String = "none", strokeWidth: Double = 2, opacity: Double = 1, cssClass: String? = nil,
                labelBeside: Bool = true) {
        self.stroke = stroke
        self.fill = fill
        self.strokeWidth = strokeWidth
        self.opacity = opacity
        self.cssClass = cssClass
        self.labelBeside = labelBeside
    }
}

/// One square cell of a heatmap, in map coordinates: its lower-left corner and a value from 0 to 1.
public struct HeatCell: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var value: Double

    public init(x: Double, y: Double, value: Double) {
        self.x = x
        self.y = y
        self.value = value
    }
}

/// Something drawn on top of a map picture, in map coordinates (y up): trajectories, heatmaps, markers.
public enum MapOverlay: Sendable, Hashable {
    /// A path through the points, e.g. an agent's trajectory.
    case polyline(points: [MapPoint], style: OverlayStyle)
    /// Square cells of side `cellSize` colored from `lowColor` (value 0) to `highColor` (value 1) over transparent.
    case heatmap(cells: [HeatCell], cellSize: Double, lowColor: String, highColor: String)
    /// A circle of `radius` map units with an optional label, e.g. a death or a stuck spot.
    case marker(at: MapPoint, radius: Double, label: String?, style: OverlayStyle)
}

/// The layers of a map picture.
public enum SVGLayer: String, Sendable, Hashable, CaseIterable {
    /// Linedefs: one-sided walls, two-sided lines (lighter), doors and exits marked.
    case walls
    /// Sector floors, shaded by floor height.
    case floors
    case things
    case findings
    /// The progression planner's route: numbered steps, keys, locks, the exit, or where progression breaks.
    case route
    case overlays
    case legend
}

/// Options for ``SVGMapRenderer``.
public struct SVGRenderOptions: Sendable {
    public var layers: Set<SVGLayer>
    /// Empty space around the map, in map units.
    public var padding: Double
    /// The `width` attribute in pixels; the height follows the aspect ratio.
    public var pixelWidth: Int
    public var background: String

    public init(layers: Set<SVGLayer> = Set(SVGLayer.allCases), padding: Double = 64, pixelWidth: Int = 1024,
                background: String = "#fbfaf7") {
        self.layers = layers
        self.padding = padding
        self.pixelWidth = pixelWidth
        self.background = background
    }
}
