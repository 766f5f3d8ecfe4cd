/// A point in map coordinates (Doom units; y points up, as in the editor's top view).
public struct MapPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The straight distance to another point.
    public func distance(to other: MapPoint) -> Double { ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot() }

    /// Largest coordinate magnitude the geometry code accepts; parsers never produce larger ones.
    public static let coordinateLimit = 1_000_000_000.0

    /// Finite and within ``coordinateLimit``: safe for grid arithmetic.
    public var isUsable: Bool {
        x.isFinite && y.isFinite && abs(x) < Self.coordinateLimit && abs(y) < Self.coordinateLimit
    }
}

/// An axis-aligned rectangle in map coordinates.
public struct MapBounds: Sendable, Hashable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }

    enum CodingKeys: String, CodingKey {
        case minX = "min_x"
        case minY = "min_y"
        case maxX = "max_x"
        case maxY = "max_y"
    }

    /// The smallest bounds holding all points; nil for no points.
    public init?(points: some Sequence<MapPoint>) {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        var bounds = MapBounds(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let point = iterator.next() {
            bounds.minX = min(bounds.minX, point.x)
            bounds.minY = min(bounds.minY, point.y)
            bounds.maxX = max(bounds.maxX, point.x)
            bounds.maxY = max(bounds.maxY, point.y)
        }
        self = bounds
    }

    public func contains(_ point: MapPoint) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }
}

extension MapPoint {
    /// "(1056, -3616)": the point rounded to whole map units, for messages.
    public var label: String { "(\(Int(x.rounded())), \(Int(y.rounded())))" }
}
