/// A uniform grid of cells listing the linedefs that pass through each cell, for "which lines are near
/// this box?" queries.
public struct LineGrid: Sendable {
    private let raster: GridRaster
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
        let raster = GridRaster(originX: bounds.minX, originY: bounds.minY, cellSize: cellSize, columns: columns, rows: rows)
        for (index, line) in map.linedefs.enumerated() {
            guard line.start >= 0, line.start < map.vertices.count, line.end >= 0, line.end < map.vertices.count,
                  include?(line) ?? true else { continue }
            let a = map.vertices[line.start].point, b = map.vertices[line.end].point
            guard a.isUsable, b.isUsable else { continue }
            raster.forEachCell(from: a, to: b) { cells[$0].append(Int32(truncatingIfNeeded: index)) }
        }
        self.raster = raster
        self.cells = cells
    }

    /// Indices of lines that may touch the box (each index once, unsorted).
    public func lines(near box: MapBounds) -> [Int] {
        guard box.minX.isFinite, box.maxX.isFinite, box.minY.isFinite, box.maxY.isFinite else { return [] }
        var seen = Set<Int32>()
        var result: [Int] = []
        for row in raster.row(box.minY)...raster.row(box.maxY) {
            for column in raster.column(box.minX)...raster.column(box.maxX) {
                for line in cells[row * raster.columns + column] where seen.insert(line).inserted { result.append(Int(line)) }
            }
        }
        return result
    }
}
