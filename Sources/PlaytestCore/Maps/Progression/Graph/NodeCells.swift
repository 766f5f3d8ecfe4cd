/// The graph builder's nodes by 16-unit cell (`addNode` looks for a node within 6 units in the 3×3 cells around a
/// point). A flat grid over the map, so a lookup is an index, not a hash; a cell outside the grid (a point a
/// malformed map puts beyond its vertices) goes to a dictionary, so every cell stays its own.
struct NodeCells {
    static let size = 16.0
    /// At most this many cells in the grid; a larger map keeps its cells in the dictionary.
    static let maxGridCells = 1 << 22

    private let firstColumn: Int
    private let firstRow: Int
    private let columns: Int
    private let rows: Int
    private var grid: [[Int]]
    private var outside: [Int64: [Int]] = [:]

    init(bounds: MapBounds) {
        let first = Self.cell(of: MapPoint(x: bounds.minX, y: bounds.minY))
        let last = Self.cell(of: MapPoint(x: bounds.maxX, y: bounds.maxY))
        let columns = last.x - first.x + 1, rows = last.y - first.y + 1
        let fits = columns > 0 && rows > 0 && columns <= Self.maxGridCells / max(rows, 1)
        firstColumn = first.x
        firstRow = first.y
        self.columns = fits ? columns : 0
        self.rows = fits ? rows : 0
        grid = [[Int]](repeating: [], count: fits ? columns * rows : 0)
    }

    /// The cell a point lies in.
    static func cell(of p: MapPoint) -> (x: Int, y: Int) {
        (Int((p.x / size).rounded(.down)), Int((p.y / size).rounded(.down)))
    }

    @inline(__always)
    private func gridIndex(_ cx: Int, _ cy: Int) -> Int? {
        let column = cx - firstColumn, row = cy - firstRow
        guard column >= 0, column < columns, row >= 0, row < rows else { return nil }
        return row * columns + column
    }

    private static func key(_ cx: Int, _ cy: Int) -> Int64 {
        (Int64(cx) << 32) ^ Int64(UInt32(truncatingIfNeeded: cy))
    }

    /// The nodes of a cell, in the order they were added.
    subscript(cx: Int, cy: Int) -> [Int] {
        if let index = gridIndex(cx, cy) { return grid[index] }
        return outside[Self.key(cx, cy)] ?? []
    }

    mutating func append(_ node: Int, cx: Int, cy: Int) {
        if let index = gridIndex(cx, cy) {
            grid[index].append(node)
        } else {
            outside[Self.key(cx, cy), default: []].append(node)
        }
    }

    /// Takes back the node added last to the cell.
    mutating func removeLast(cx: Int, cy: Int) {
        if let index = gridIndex(cx, cy) {
            if !grid[index].isEmpty { grid[index].removeLast() }
        } else {
            outside[Self.key(cx, cy)]?.removeLast()
        }
    }
}
