/// The straight walks worth trying between a graph's nodes: every pair of nodes within reach of each other,
/// shortest first. The graph's edges (their order, and which long walks are left out as shortcuts) follow this
/// order, so pairs at the same distance keep the order they are found in: node i ascending, then the 3×3 cells
/// around it (x, then y), then node j ascending.
enum CandidateWalks {
    struct Pair {
        var i: Int32
        var j: Int32
        var distance: Double
    }

    /// `reach(i, j)`: how far a walk between the two nodes may be. Every reach is at most `cell`.
    static func find(nodes: [NavigationGraph.Node], cell: Double, reach: (Int, Int) -> Double) -> [Pair] {
        // Nodes by cell; each cell's 3×3 neighbourhood is looked up once, not once per node.
        var cellOf: [Int64: Int] = [:]
        var nodeCell = [Int](repeating: 0, count: nodes.count)
        var cellXY: [(Int, Int)] = []
        var sizes: [Int] = []
        for (index, node) in nodes.enumerated() {
            let cx = Int((node.x / cell).rounded(.down)), cy = Int((node.y / cell).rounded(.down))
            let key = Self.key(cx, cy)
            if let known = cellOf[key] {
                nodeCell[index] = known
            } else {
                cellOf[key] = sizes.count
                nodeCell[index] = sizes.count
                sizes.append(0)
                cellXY.append((cx, cy))
            }
            sizes[nodeCell[index]] += 1
        }
        // Each cell's nodes in one flat array, ascending (`members[memberStart[c]..<memberStart[c + 1]]`).
        var memberStart = [Int](repeating: 0, count: sizes.count + 1)
        for c in sizes.indices { memberStart[c + 1] = memberStart[c] + sizes[c] }
        var next = memberStart
        var members = [Int32](repeating: 0, count: nodes.count)
        for index in nodes.indices {
            members[next[nodeCell[index]]] = Int32(index)
            next[nodeCell[index]] += 1
        }
        let neighbourhoods: [[Int]] = cellXY.map { cx, cy in
            var around: [Int] = []
            for dx in -1...1 {
                for dy in -1...1 {
                    if let found = cellOf[Self.key(cx + dx, cy + dy)] { around.append(found) }
                }
            }
            return around
        }
        let xs = nodes.map(\.x), ys = nodes.map(\.y)
        let limit = cell * cell * (1 + 1e-9)
        var pairs: [Pair] = []
        for i in nodes.indices {
            let x = xs[i], y = ys[i]
            for neighbour in neighbourhoods[nodeCell[i]] {
                // The cell's nodes after i (they ascend): the first found by halving.
                var low = memberStart[neighbour], high = memberStart[neighbour + 1]
                let end = high
                while low < high {
                    let middle = (low + high) / 2
                    if Int(members[middle]) > i { high = middle } else { low = middle + 1 }
                }
                for slot in low..<end {
                    let j = Int(members[slot])
                    let dx = xs[j] - x, dy = ys[j] - y
                    let squared = dx * dx + dy * dy
                    // Most candidates are far beyond any reach: rejected before the square root (with a margin, so
                    // the comparison below still decides every pair near the limit).
                    guard squared <= limit else { continue }
                    let distance = squared.squareRoot()
                    guard distance <= reach(i, j), distance > 0.5 else { continue }
                    pairs.append(Pair(i: Int32(i), j: Int32(j), distance: distance))
                }
            }
        }
        sortByDistance(&pairs)
        return pairs
    }

    private static func key(_ cx: Int, _ cy: Int) -> Int64 {
        (Int64(cx) << 32) ^ Int64(UInt32(truncatingIfNeeded: cy))
    }

    /// A stable sort by distance (a least-significant-digit radix sort on the bits of the distances, which are
    /// positive, so their bit patterns order as they do): several times faster than `sort` on hundreds of
    /// thousands of pairs, with the same result.
    static func sortByDistance(_ pairs: inout [Pair]) {
        guard pairs.count > 1 else { return }
        let digitBits = 16, digits = 1 << 16, mask = UInt64(digits - 1)
        var buffer = pairs
        var counts = [Int](repeating: 0, count: digits)
        // Through buffer pointers: the loops below run over every pair four times.
        counts.withUnsafeMutableBufferPointer { counts in
            for pass in 0..<(64 / digitBits) {
                let shift = UInt64(pass * digitBits)
                let sorted = pairs.withUnsafeMutableBufferPointer { source in
                    buffer.withUnsafeMutableBufferPointer { target in
                        for k in counts.indices { counts[k] = 0 }
                        for pair in source { counts[Int((pair.distance.bitPattern >> shift) & mask)] += 1 }
                        // A digit that every pair shares orders nothing.
                        if counts[Int((source[0].distance.bitPattern >> shift) & mask)] == source.count { return false }
                        var offset = 0
                        for k in counts.indices {
                            let count = counts[k]
                            counts[k] = offset
                            offset += count
                        }
                        for pair in source {
                            let digit = Int((pair.distance.bitPattern >> shift) & mask)
                            target[counts[digit]] = pair
                            counts[digit] += 1
                        }
                        return true
                    }
                }
                if sorted { swap(&pairs, &buffer) }
            }
        }
    }
}
