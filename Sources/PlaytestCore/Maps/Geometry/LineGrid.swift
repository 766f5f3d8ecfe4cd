/// A uniform grid of cells listing the linedefs whose bounding box touches each cell, for "which lines
/// are near this box?" queries.
public struct LineGrid: Sendable {
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    private let cells: [[Int32]]

    static let maxCellsPerAxis = 256

    /// Indexes the given lines of the map (all lines when `include` is nil).
    public init(map: DoomMap, include: ((Linedef) -> Bool)? = nil) {
        let bounds = MapBounds(points: map.vertices.lazy.map(\.point).filter(\.isUsable)) ?? MapBounds(minX: 0, minY: 0, maxX: 1, maxY: 1)
        let span = max(bounds.width, bounds.height, 1)
        let cellSize = max(span / Double(Self.maxCellsPerAxis), 128)
        let columns = min(Int((bounds.width / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis)
        let rows = min(Int((bounds.height / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis)
        var cells = [[Int32]](repeating: [], count: columns * rows)
        for (index, line) in map.linedefs.enumerated() {
            guard line.start >= 0, line.start < map.vertices.count, line.end >= 0, line.end < map.vertices.count,
                  include?(line) ?? true else { continue }
            let a = map.vertices[line.start].point, b = map.vertices[line.end].point
            guard a.isUsable, b.isUsable else { continue }
            let box = MapBounds(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
            guard let range = Self.cellRange(box, originX: bounds.minX, originY: bounds.minY, cellSize: cellSize,
                                             columns: columns, rows: rows) else { continue }
            for row in range.rows {
                for column in range.columns { cells[row * columns + column].append(Int32(index)) }
            }
        }
        self.originX = bounds.minX
        self.originY = bounds.minY
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows
        self.cells = cells
    }

    private func cellRange(_ box: MapBounds) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        Self.cellRange(box, originX: originX, originY: originY, cellSize: cellSize, columns: columns, rows: rows)
    }

    private static func cellRange(_ box: MapBounds, originX: Double, originY: Double, cellSize: Double, columns: Int,
                                  rows: Int) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        guard box.minX.isFinite, box.maxX.isFinite, box.minY.isFinite, box.maxY.isFinite else { return nil }
        func index(_ value: Double, _ origin: Double, _ count: Int) -> Int {
            let cell = ((value - origin) / cellSize).rounded(.down)
            return cell < 0 ? 0 : (cell >= Double(count) ? count - 1 : Int(cell))
        }
        let c0 = index(box.minX, originX, columns), c1 = index(box.maxX, originX, columns)
        let r0 = index(box.minY, originY, rows), r1 = index(box.maxY, originY, rows)
        return (r0...r1, c0...c1)
    }

    /// Indices of lines whose bounding box may touch the box (each index once, unsorted).
    public func lines(near box: MapBounds) -> [Int] {
        guard let range = cellRange(box) else { return [] }
        var seen = Set<Int32>()
        var result: [Int] = []
        for row in range.rows {
            for column in range.columns {
                for line in cells[row * columns + column] where seen.insert(line).inserted { result.append(Int(line)) }
            }
        }
        return result
    }
}
