/// One square cell of the coverage grid: column `x` covers map x from `x * cellSize` to `(x + 1) * cellSize`.
public struct GridCell: Sendable, Hashable, Codable, Comparable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public static func < (lhs: GridCell, rhs: GridCell) -> Bool {
        (lhs.y, lhs.x) < (rhs.y, rhs.x)
    }
}

/// Where the player has been: the sectors visited (against the sectors reachable from the starts) and a coarse
/// grid of visited cells with how many samples fell in each, for heatmaps.
public struct CoverageTracker: Sendable {
    /// Map units per grid cell; 64 matches the agent's `cell_size` and is about one corridor wide.
    public static let defaultCellSize = 64.0

    public let cellSize: Double
    /// Sectors the coverage ratio is measured against; nil when the map is unknown.
    public let reachableSectors: Set<Int>?
    public private(set) var visitedSectors: Set<Int> = []
    /// Samples per grid cell.
    public private(set) var cellVisits: [GridCell: Int] = [:]

    /// - Parameter cellSize: must be positive; anything else falls back to ``defaultCellSize``.
    public init(cellSize: Double = CoverageTracker.defaultCellSize, reachableSectors: Set<Int>? = nil) {
        self.cellSize = cellSize.isFinite && cellSize > 0 ? cellSize : Self.defaultCellSize
        self.reachableSectors = reachableSectors
    }

    /// Records one sampled position and the sector it is in (nil when in the void or when the map is unknown).
    public mutating func visit(x: Double, y: Double, sector: Int?) {
        if let sector { visitedSectors.insert(sector) }
        cellVisits[cell(x: x, y: y), default: 0] += 1
    }

    /// The grid cell holding a point. Coordinates are clamped far outside any Doom map so no input can overflow.
    public func cell(x: Double, y: Double) -> GridCell {
        GridCell(x: Self.index(x / cellSize), y: Self.index(y / cellSize))
    }

    private static func index(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(min(max(value, -1.0e9), 1.0e9).rounded(.down))
    }

    /// Reachable sectors visited divided by reachable sectors, from 0 to 1; nil when the map is unknown or has no
    /// reachable sector.
    public var coverage: Double? {
        guard let reachableSectors, !reachableSectors.isEmpty else { return nil }
        return Double(visitedSectors.intersection(reachableSectors).count) / Double(reachableSectors.count)
    }

    /// Sectors the player stood in that the map analysis thinks cannot be reached from the starts.
    public var visitedUnreachableSectors: Set<Int> {
        guard let reachableSectors else { return [] }
        return visitedSectors.subtracting(reachableSectors)
    }

    /// Reachable sectors nobody visited.
    public var unvisitedSectors: Set<Int> {
        guard let reachableSectors else { return [] }
        return reachableSectors.subtracting(visitedSectors)
    }

    /// Adds another tracker's visits (e.g. all episodes of a run); its cell size must be the same.
    public mutating func merge(_ other: CoverageTracker) {
        visitedSectors.formUnion(other.visitedSectors)
        if other.cellSize == cellSize {
            cellVisits.merge(other.cellVisits, uniquingKeysWith: +)
        } else {
            for (cell, count) in other.cellVisits {
                let x = (Double(cell.x) + 0.5) * other.cellSize, y = (Double(cell.y) + 0.5) * other.cellSize
                cellVisits[self.cell(x: x, y: y), default: 0] += count
            }
        }
    }

    /// Visited cells as heatmap cells (lower-left corner in map units), valued samples / most samples in one cell,
    /// in row order.
    public func heatCells() -> [HeatCell] {
        guard let most = cellVisits.values.max(), most > 0 else { return [] }
        return cellVisits.keys.sorted().map { cell in
            HeatCell(x: Double(cell.x) * cellSize, y: Double(cell.y) * cellSize,
                     value: Double(cellVisits[cell] ?? 0) / Double(most))
        }
    }

    /// The visited cells as an overlay for ``SVGMapRenderer``.
    public func heatmapOverlay(lowColor: String = "#fde0c5", highColor: String = "#d7301f") -> MapOverlay {
        .heatmap(cells: heatCells(), cellSize: cellSize, lowColor: lowColor, highColor: highColor)
    }
}
