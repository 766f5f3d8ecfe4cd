/// A uniform grid over the map that lists items (line or thing indices) per cell, for "what is near this box?"
/// queries in the graph builder's inner loops: no allocation per query, each item reported once. A class, so the
/// builder's many queries share it instead of copying (and retaining) its arrays.
final class SpatialIndex {
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    private let cellStart: [Int32]
    /// Per slot of a cell: the item, its box (widened a little, so a test against it never drops an item the exact
    /// box would keep), and the first column and row of the item's cells. An item is reported in the first cell
    /// of a query that holds it (its first row within the query, then its first column), so no per-query
    /// bookkeeping is needed to report it once.
    private let slots: [Slot]
    private let firstColumns: [Int32]
    private let firstRows: [Int32]

    private struct Slot {
        var item: Int32
        var firstColumn: Int32
        var firstRow: Int32
        var minX: Float, minY: Float, maxX: Float, maxY: Float
    }

    /// `boxes[i]` is item i's bounding box (nil: not indexed).
    init(bounds: MapBounds, cellSize: Double, boxes: [MapBounds?]) {
        let columns = max(1, Int((bounds.width / cellSize).rounded(.down)) + 1)
        let rows = max(1, Int((bounds.height / cellSize).rounded(.down)) + 1)
        func cell(_ value: Double, _ origin: Double, _ count: Int) -> Int {
            min(max(Int(((value - origin) / cellSize).rounded(.down)), 0), count - 1)
        }
        // Float keeps a slot small; widened by more than its rounding.
        func widened(_ value: Double, _ direction: Double) -> Float { Float(value + direction * max(1, abs(value) * 1e-6)) }
        var lists = [[Slot]](repeating: [], count: columns * rows)
        var firstColumns = [Int32](repeating: -1, count: boxes.count), firstRows = [Int32](repeating: -1, count: boxes.count)
        for (index, box) in boxes.enumerated() {
            guard let box else { continue }
            let firstRow = cell(box.minY, bounds.minY, rows), firstColumn = cell(box.minX, bounds.minX, columns)
            firstColumns[index] = Int32(firstColumn)
            firstRows[index] = Int32(firstRow)
            let slot = Slot(item: Int32(index), firstColumn: Int32(firstColumn), firstRow: Int32(firstRow),
                            minX: widened(box.minX, -1), minY: widened(box.minY, -1), maxX: widened(box.maxX, 1), maxY: widened(box.maxY, 1))
            for row in firstRow...cell(box.maxY, bounds.minY, rows) {
                for column in firstColumn...cell(box.maxX, bounds.minX, columns) {
                    lists[row * columns + column].append(slot)
                }
            }
        }
        var start: [Int32] = [0]
        var flat: [Slot] = []
        for list in lists {
            flat.append(contentsOf: list)
            start.append(Int32(flat.count))
        }
        originX = bounds.minX
        originY = bounds.minY
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows
        cellStart = start
        slots = flat
        self.firstColumns = firstColumns
        self.firstRows = firstRows
    }

    /// The column and row of a coordinate, clamped to the grid. Below the origin the clamp gives 0 whether the value
    /// is floored or truncated, so `Int(_:)` does (no call to `floor`).
    @inline(__always)
    private func column(_ x: Double) -> Int { Self.clamped((x - originX) / cellSize, columns) }
    @inline(__always)
    private func row(_ y: Double) -> Int { Self.clamped((y - originY) / cellSize, rows) }

    @inline(__always)
    private static func clamped(_ value: Double, _ count: Int) -> Int {
        value < 0 ? 0 : min(Int(value), count - 1)
    }

    /// Calls `body` once for every item whose cells meet the box, cell by cell (rows, then columns; in a cell, by
    /// item); stops early when `body` returns false. Returns false when stopped early.
    @discardableResult
    func forEach(near box: MapBounds, _ body: (Int) -> Bool) -> Bool {
        scan(box, skipsApart: false, body)
    }

    /// Calls `body` once for every item whose box overlaps `box` (and a few just beside it), in no order to rely
    /// on; stops early when `body` returns false. Returns false when stopped early. Cheaper than `forEach(near:)`
    /// with the box grown by the items' margin: fewer cells, and most items apart are told from the slot alone.
    @discardableResult
    func forEach(overlapping box: MapBounds, _ body: (Int) -> Bool) -> Bool {
        scan(box, skipsApart: true, body)
    }

    /// Where `forEach(near: box)` reports the item: its cell's row and column (in a cell, items come by index).
    func reportingCell(of item: Int, near box: MapBounds) -> (row: Int, column: Int) {
        (max(Int(firstRows[item]), row(box.minY)), max(Int(firstColumns[item]), column(box.minX)))
    }

    @inline(__always)
    private func scan(_ box: MapBounds, skipsApart: Bool, _ body: (Int) -> Bool) -> Bool {
        let firstRow = row(box.minY), lastRow = row(box.maxY), firstColumn = column(box.minX), lastColumn = column(box.maxX)
        let minX = Float(box.minX), minY = Float(box.minY), maxX = Float(box.maxX), maxY = Float(box.maxY)
        return cellStart.withUnsafeBufferPointer { cellStart in
            slots.withUnsafeBufferPointer { slots in
                for r in firstRow...lastRow {
                    for c in firstColumn...lastColumn {
                        let cell = r * columns + c
                        for index in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                            let slot = slots[index]
                            // Apart by more than the slot's widening and the query's rounding to Float.
                            if skipsApart && (slot.minX > maxX || slot.maxX < minX || slot.minY > maxY || slot.maxY < minY) { continue }
                            // Reported in the query's first cell that holds it (skipped in the others).
                            guard r == max(Int(slot.firstRow), firstRow), c == max(Int(slot.firstColumn), firstColumn) else { continue }
                            if !body(Int(slot.item)) { return false }
                        }
                    }
                }
                return true
            }
        }
    }
}
