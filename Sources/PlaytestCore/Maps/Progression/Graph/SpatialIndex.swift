/// A uniform grid over the map that lists items (line or thing indices) per cell, for "what is near this box?"
/// queries in the graph builder's inner loops: no allocation per query, each item reported once.
struct SpatialIndex {
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    private let cellStart: [Int32]
    private let items: [Int32]
    private var stamp: [UInt32]
    private var round: UInt32 = 0

    /// `boxes[i]` is item i's bounding box (nil: not indexed).
    init(bounds: MapBounds, cellSize: Double, boxes: [MapBounds?]) {
        let columns = max(1, Int((bounds.width / cellSize).rounded(.down)) + 1)
        let rows = max(1, Int((bounds.height / cellSize).rounded(.down)) + 1)
        func cell(_ value: Double, _ origin: Double, _ count: Int) -> Int {
            min(max(Int(((value - origin) / cellSize).rounded(.down)), 0), count - 1)
        }
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for (index, box) in boxes.enumerated() {
            guard let box else { continue }
            for row in cell(box.minY, bounds.minY, rows)...cell(box.maxY, bounds.minY, rows) {
                for column in cell(box.minX, bounds.minX, columns)...cell(box.maxX, bounds.minX, columns) {
                    lists[row * columns + column].append(Int32(index))
                }
            }
        }
        var start: [Int32] = [0]
        var flat: [Int32] = []
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
        items = flat
        stamp = [UInt32](repeating: 0, count: boxes.count)
    }

    private func column(_ x: Double) -> Int { min(max(Int(((x - originX) / cellSize).rounded(.down)), 0), columns - 1) }
    private func row(_ y: Double) -> Int { min(max(Int(((y - originY) / cellSize).rounded(.down)), 0), rows - 1) }

    /// Calls `body` once for every item whose cells meet the box; stops early when `body` returns false.
    /// Returns false when stopped early.
    @discardableResult
    mutating func forEach(near box: MapBounds, _ body: (Int) -> Bool) -> Bool {
        round &+= 1
        if round == 0 {
            stamp = [UInt32](repeating: 0, count: stamp.count)
            round = 1
        }
        for r in row(box.minY)...row(box.maxY) {
            for c in column(box.minX)...column(box.maxX) {
                let cell = r * columns + c
                for slot in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                    let item = Int(items[slot])
                    if stamp[item] == round { continue }
                    stamp[item] = round
                    if !body(item) { return false }
                }
            }
        }
        return true
    }
}
