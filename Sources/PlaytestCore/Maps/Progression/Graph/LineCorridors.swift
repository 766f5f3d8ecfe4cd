/// The lines near a straight walk, for `NavigationGraphBuilder.walk` (millions of walks per map).
///
/// A fine uniform grid whose cells list the lines that pass within `reach` of the cell itself (not every line
/// whose bounding box meets it), so a walk reads only the cells its own segment passes through: a line within
/// `reach` of some point of the walk is listed in that point's cell. A grid of bounding boxes made each walk test
/// every line whose grown box met the walk's box, most of them far from the walk (long diagonal lines above all).
/// A class: the builder's walks share one, and its scratch marks, instead of copying them.
final class LineCorridors {
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    /// Lines of cell `c`: `cellLines[cellStart[c]..<cellStart[c + 1]]`.
    private let cellStart: [Int32]
    private let cellLines: [Int32]
    /// Per line, the query that last reported it: a line listed in several cells of a walk is reported once.
    private var reportedIn: [UInt32]
    private var query: UInt32 = 0

    /// At most this many cells per axis (a hostile map's bounds must not make the grid huge).
    static let maxCellsPerAxis = 2048

    /// `lineEnds[i]`: line i's ends (nil: not listed). Lines are listed in the cells within `reach` of them.
    init(bounds: MapBounds, cellSize: Double, reach: Double, lineEnds: [(MapPoint, MapPoint)?]) {
        let cellSize = max(cellSize, max(bounds.width, bounds.height) / Double(Self.maxCellsPerAxis))
        let columns = max(1, min(Int((bounds.width / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis))
        let rows = max(1, min(Int((bounds.height / cellSize).rounded(.down)) + 1, Self.maxCellsPerAxis))
        func clamp(_ value: Double, _ count: Int) -> Int {
            guard value.isFinite else { return 0 }
            let floored = value.rounded(.down)
            return floored < 0 ? 0 : (floored >= Double(count) ? count - 1 : Int(floored))
        }
        /// Calls `visit` with each cell within `reach` of the line.
        func forEachCell(of a: MapPoint, _ b: MapPoint, _ visit: (Int) -> Void) {
            let firstColumn = clamp((min(a.x, b.x) - reach - bounds.minX) / cellSize, columns)
            let lastColumn = clamp((max(a.x, b.x) + reach - bounds.minX) / cellSize, columns)
            let firstRow = clamp((min(a.y, b.y) - reach - bounds.minY) / cellSize, rows)
            let lastRow = clamp((max(a.y, b.y) + reach - bounds.minY) / cellSize, rows)
            for row in firstRow...lastRow {
                for column in firstColumn...lastColumn {
                    // Edge cells also hold what lies beyond the grid (indices are clamped): their box is unbounded there.
                    let cell = MapBounds(minX: column == 0 ? -.infinity : bounds.minX + Double(column) * cellSize,
                                         minY: row == 0 ? -.infinity : bounds.minY + Double(row) * cellSize,
                                         maxX: column == columns - 1 ? .infinity : bounds.minX + Double(column + 1) * cellSize,
                                         maxY: row == rows - 1 ? .infinity : bounds.minY + Double(row + 1) * cellSize)
                    if Self.isWithin(reach, segment: a, b, of: cell) { visit(row * columns + column) }
                }
            }
        }
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for case let (a, b)? in lineEnds where a.isUsable && b.isUsable {
            forEachCell(of: a, b) { counts[$0 + 1] += 1 }
        }
        for cell in 0..<(columns * rows) { counts[cell + 1] += counts[cell] }
        var next = counts
        var lines = [Int32](repeating: 0, count: Int(counts[columns * rows]))
        for (index, ends) in lineEnds.enumerated() {
            guard let (a, b) = ends, a.isUsable, b.isUsable else { continue }
            forEachCell(of: a, b) { cell in
                lines[Int(next[cell])] = Int32(index)
                next[cell] += 1
            }
        }
        originX = bounds.minX
        originY = bounds.minY
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows
        cellStart = counts
        cellLines = lines
        reportedIn = [UInt32](repeating: 0, count: lineEnds.count)
    }

    /// Whether segment a→b comes within `reach` of the box (touching it, or crossing it, included).
    private static func isWithin(_ reach: Double, segment a: MapPoint, _ b: MapPoint, of box: MapBounds) -> Bool {
        func distanceToBox(_ p: MapPoint) -> Double {
            let dx = max(box.minX - p.x, 0, p.x - box.maxX), dy = max(box.minY - p.y, 0, p.y - box.maxY)
            return (dx * dx + dy * dy).squareRoot()
        }
        if distanceToBox(a) <= reach || distanceToBox(b) <= reach { return true }
        // Both ends are outside the box: near it only if it crosses the box, or passes near a corner.
        let corners = [MapPoint(x: box.minX, y: box.minY), MapPoint(x: box.maxX, y: box.minY),
                       MapPoint(x: box.minX, y: box.maxY), MapPoint(x: box.maxX, y: box.maxY)]
        for corner in corners where corner.x.isFinite && corner.y.isFinite && NavGeometry.distance(corner, a, b) <= reach {
            return true
        }
        // Clipped to the box (Liang–Barsky): some part of the segment is left inside.
        let dx = b.x - a.x, dy = b.y - a.y
        var low = 0.0, high = 1.0
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { low = max(low, r) } else { high = min(high, r) }
                if low > high { return false }
            }
        }
        return true
    }

    private func column(_ x: Double) -> Int {
        let value = ((x - originX) / cellSize).rounded(.down)
        return value < 0 ? 0 : (value >= Double(columns) ? columns - 1 : Int(value))
    }

    private func row(_ y: Double) -> Int {
        let value = ((y - originY) / cellSize).rounded(.down)
        return value < 0 ? 0 : (value >= Double(rows) ? rows - 1 : Int(value))
    }

    /// Calls `body` once for every line within `reach` of the segment p→q (and a few more), in no order to rely on;
    /// stops early when `body` returns false. Returns false when stopped early. The ends must be finite.
    @inline(__always)
    func forEach(along p: MapPoint, _ q: MapPoint, _ body: (Int) -> Bool) -> Bool {
        query &+= 1
        if query == 0 {
            // Wrapped around: forget every mark.
            for k in reportedIn.indices { reportedIn[k] = 0 }
            query = 1
        }
        let query = self.query
        let firstRow = row(min(p.y, q.y)), lastRow = row(max(p.y, q.y))
        // The cells the segment passes through, row by row: in each row's band, the columns of the segment's
        // x-extent there (with a margin, so rounding drops no column it touches at its edge).
        let slope = p.y == q.y ? 0 : (q.x - p.x) / (q.y - p.y)
        let margin = cellSize * 1e-6
        return cellStart.withUnsafeBufferPointer { cellStart in
            cellLines.withUnsafeBufferPointer { cellLines in
                reportedIn.withUnsafeMutableBufferPointer { reportedIn in
                    for r in firstRow...lastRow {
                        let x0: Double, x1: Double
                        if firstRow == lastRow {
                            x0 = min(p.x, q.x)
                            x1 = max(p.x, q.x)
                        } else {
                            // The first and last rows reach to the ends (beyond the grid too: indices are clamped).
                            let bandLow = r == firstRow ? min(p.y, q.y) : originY + Double(r) * cellSize
                            let bandHigh = r == lastRow ? max(p.y, q.y) : originY + Double(r + 1) * cellSize
                            let xLow = p.x + (bandLow - p.y) * slope, xHigh = p.x + (bandHigh - p.y) * slope
                            x0 = min(xLow, xHigh)
                            x1 = max(xLow, xHigh)
                        }
                        for c in column(x0 - margin)...column(x1 + margin) {
                            let cell = r * columns + c
                            for slot in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                                let line = Int(cellLines[slot])
                                guard reportedIn[line] != query else { continue }
                                reportedIn[line] = query
                                if !body(line) { return false }
                            }
                        }
                    }
                    return true
                }
            }
        }
    }
}
