/// Answers "which sector is this point in?" fast enough for per-step telemetry.
///
/// It casts a ray from the point towards +x and takes the nearest linedef it crosses: the point lies on
/// that line's front side (right of start→end) or back side, and that side's sector is the answer. A
/// uniform grid of cells, each listing the linedefs whose bounding box touches it, keeps the search to
/// the few cells to the right of the point. Points in the void (no line to the right, or the nearest
/// line has no sidedef on that side) have no sector.
public struct SectorLocator: Sendable {
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    /// Compressed rows: lines of cell `c` are `cellLines[cellStart[c]..<cellStart[c + 1]]`.
    private let cellStart: [Int]
    private let cellLines: [Int32]
    /// Per cell: the first column from it to the right, in its row, whose cell lists a line (`columns` if none), so
    /// a ray through empty space (beside or outside the map) skips it in one step.
    private let nextFilledColumn: [Int32]
    /// Per indexed line, its ends and sectors side by side: a ray reads each line it meets whole, so one cache line
    /// serves it (separate arrays cost a miss each, and the graph builder asks millions of points).
    private let segments: [Segment]

    private struct Segment {
        var x1: Double, y1: Double, x2: Double, y2: Double
        var frontSector: Int32, backSector: Int32
    }

    /// At most this many cells per axis, so hostile coordinates cannot make the grid huge.
    static let maxCellsPerAxis = 1024

    public init(map: DoomMap) {
        var x1: [Double] = [], y1: [Double] = [], x2: [Double] = [], y2: [Double] = []
        var front: [Int32] = [], back: [Int32] = []
        for line in map.linedefs {
            guard line.start >= 0, line.start < map.vertices.count, line.end >= 0, line.end < map.vertices.count else { continue }
            let a = map.vertices[line.start], b = map.vertices[line.end]
            guard a.point.isUsable, b.point.isUsable, a.y != b.y else { continue } // A horizontal line never crosses a horizontal ray.
            x1.append(a.x); y1.append(a.y); x2.append(b.x); y2.append(b.y)
            front.append(Int32(truncatingIfNeeded: map.sector(ofSide: line.frontSide) ?? -1))
            back.append(Int32(truncatingIfNeeded: map.sector(ofSide: line.backSide) ?? -1))
        }
        let bounds = MapBounds(points: map.vertices.lazy.map(\.point).filter(\.isUsable)) ?? MapBounds(minX: 0, minY: 0, maxX: 1, maxY: 1)
        let span = max(bounds.width, bounds.height, 1)
        let target = max(16.0, (Double(max(x1.count, 1)) * 2).squareRoot())
        let cellSize = max(span / min(target, Double(Self.maxCellsPerAxis)), 32)
        let columns = min(Int((bounds.width / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis)
        let rows = min(Int((bounds.height / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis)
        var buckets = [[Int32]](repeating: [], count: columns * rows)
        let raster = GridRaster(originX: bounds.minX, originY: bounds.minY, cellSize: cellSize, columns: columns, rows: rows)
        for index in x1.indices {
            raster.forEachCell(from: MapPoint(x: x1[index], y: y1[index]), to: MapPoint(x: x2[index], y: y2[index])) { cell in
                buckets[cell].append(Int32(truncatingIfNeeded: index))
            }
        }
        var start: [Int] = [0]
        var lines: [Int32] = []
        start.reserveCapacity(buckets.count + 1)
        for bucket in buckets {
            lines.append(contentsOf: bucket)
            start.append(lines.count)
        }
        self.originX = bounds.minX
        self.originY = bounds.minY
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows
        self.cellStart = start
        self.cellLines = lines
        var nextFilled = [Int32](repeating: Int32(columns), count: columns * rows)
        for row in 0..<rows {
            var next = columns
            for column in stride(from: columns - 1, through: 0, by: -1) {
                let cell = row * columns + column
                if start[cell + 1] > start[cell] { next = column }
                nextFilled[cell] = Int32(next)
            }
        }
        self.nextFilledColumn = nextFilled
        self.segments = x1.indices.map { Segment(x1: x1[$0], y1: y1[$0], x2: x2[$0], y2: y2[$0], frontSector: front[$0], backSector: back[$0]) }
    }

    /// The index of the sector containing the point, or nil when it is outside every sector.
    public func sector(at point: MapPoint) -> Int? {
        sector(x: point.x, y: point.y)
    }

    public func sector(x: Double, y: Double) -> Int? {
        guard x.isFinite, y.isFinite else { return nil }
        let relativeY = (y - originY) / cellSize
        let relativeX = (x - originX) / cellSize
        guard relativeY >= 0, relativeY < Double(rows), relativeX < Double(columns) else { return nil }
        let row = Int(relativeY)
        var column = relativeX < 0 ? 0 : Int(relativeX)
        var bestX = Double.infinity
        var bestSlope = Double.infinity   // the best line's dx/dy: which of two lines meeting at a vertex is nearer above it
        var bestSector: Int32 = -1
        while column < columns {
            let cell = row * columns + column
            let filled = Int(nextFilledColumn[cell])
            if filled != column {
                // Empty cells change nothing: the ray stops where it would have stopped in the last of them, or goes on.
                guard filled < columns, bestX > originX + Double(filled) * cellSize else { break }
                column = filled
                continue
            }
            var slot = cellStart[cell]
            let end = cellStart[cell + 1]
            while slot < end {
                let segment = segments[Int(cellLines[slot])]
                slot += 1
                let ay = segment.y1, by = segment.y2
                guard (ay > y) != (by > y) else { continue }
                let ax = segment.x1, bx = segment.x2
                let slope = (bx - ax) / (by - ay)
                let hitX = ax + (y - ay) * slope
                // Lines that meet at a vertex on the ray's height are hit at the same x: both run on above it (a line
                // counts only when its other end is higher), so the nearer one is the one nearer just above.
                guard hitX >= x, hitX < bestX - 1e-9 || (abs(hitX - bestX) <= 1e-9 && slope < bestSlope) else { continue }
                bestX = hitX
                bestSlope = slope
                // Walking from the point towards +x, an upward line has the point on its left (back) side.
                bestSector = by > ay ? segment.backSector : segment.frontSector
            }
            if bestX <= originX + Double(column + 1) * cellSize { break }
            column += 1
        }
        return bestSector >= 0 ? Int(bestSector) : nil
    }
}
