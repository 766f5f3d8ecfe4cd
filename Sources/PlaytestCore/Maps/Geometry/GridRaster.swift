/// The cells of a uniform grid that a line segment passes through, row by row.
///
/// For each row the segment spans, only the columns covering the segment's x-extent inside that row's
/// band are visited, so a long diagonal line touches about `rows + columns` cells instead of its whole
/// bounding box. The grid is described by its origin, cell size and dimensions; indices are clamped.
struct GridRaster {
    let originX: Double
    let originY: Double
    let cellSize: Double
    let columns: Int
    let rows: Int

    func column(_ x: Double) -> Int { clamp((x - originX) / cellSize, columns) }
    func row(_ y: Double) -> Int { clamp((y - originY) / cellSize, rows) }

    private func clamp(_ value: Double, _ count: Int) -> Int {
        guard value.isFinite else { return 0 }
        let floored = value.rounded(.down)
        return floored < 0 ? 0 : (floored >= Double(count) ? count - 1 : Int(floored))
    }

    /// Calls `visit(cellIndex)` for every cell the segment from `a` to `b` may touch.
    func forEachCell(from a: MapPoint, to b: MapPoint, _ visit: (Int) -> Void) {
        let firstRow = row(min(a.y, b.y)), lastRow = row(max(a.y, b.y))
        for r in firstRow...lastRow {
            // The segment's x-extent within this row's band (clipped to the segment's own y-range).
            let bandLow = max(originY + Double(r) * cellSize, min(a.y, b.y))
            let bandHigh = min(originY + Double(r + 1) * cellSize, max(a.y, b.y))
            let x0: Double, x1: Double
            if a.y == b.y || firstRow == lastRow {
                x0 = min(a.x, b.x)
                x1 = max(a.x, b.x)
            } else {
                let slope = (b.x - a.x) / (b.y - a.y)
                let xLow = a.x + (bandLow - a.y) * slope
                let xHigh = a.x + (bandHigh - a.y) * slope
                x0 = min(xLow, xHigh)
                x1 = max(xLow, xHigh)
            }
            // A small margin keeps rounding from dropping a column the segment touches at its edge.
            let margin = cellSize * 1e-6
            for c in column(x0 - margin)...column(x1 + margin) { visit(r * columns + c) }
        }
    }
}
