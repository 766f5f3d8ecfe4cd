import Foundation

/// The outgoing edges of every vertex, sorted by angle, with "next unused edge" skip pointers.
///
/// Used by the sector tracer to find, in about O(log d), the unused edge that turns least
/// counter-clockwise from a given direction, even at vertices where thousands of lines meet.
struct EdgeFans {
    private struct Fan {
        var edges: [Int] = []
        var angles: [Double] = []
        /// Union-find over positions: `find(i)` is the first unused position at or after `i` (`edges.count` if none).
        var next: [Int] = []
    }

    private var fans: [Fan]
    private let fanOfVertex: [Int: Int]
    /// For each edge: its fan and its position in the fan.
    private let place: [(fan: Int, position: Int)]
    private let angleOfEdge: [Double]

    /// `from[e]` is the start vertex of edge `e`, `angle[e]` its direction in radians.
    init(from: [Int], angle: [Double]) {
        var fanOfVertex: [Int: Int] = [:]
        var members: [[Int]] = []
        for edge in from.indices {
            if let fan = fanOfVertex[from[edge]] {
                members[fan].append(edge)
            } else {
                fanOfVertex[from[edge]] = members.count
                members.append([edge])
            }
        }
        var place = [(fan: Int, position: Int)](repeating: (0, 0), count: from.count)
        fans = members.enumerated().map { fanIndex, edges in
            let sorted = edges.sorted { (angle[$0], $0) < (angle[$1], $1) }
            for (position, edge) in sorted.enumerated() { place[edge] = (fanIndex, position) }
            return Fan(edges: sorted, angles: sorted.map { angle[$0] }, next: Array(0...sorted.count))
        }
        self.fanOfVertex = fanOfVertex
        self.place = place
        self.angleOfEdge = angle
    }

    mutating func markUsed(_ edge: Int) {
        let (fan, position) = place[edge]
        fans[fan].next[position] = position + 1
    }

    /// Counter-clockwise turn from direction `back` to edge `edge`, in (0, 2π]; a turn of 0 counts as a full turn.
    func turn(from back: Double, to edge: Int) -> Double {
        var turn = angleOfEdge[edge] - back
        if !turn.isFinite { return 2 * Double.pi }
        while turn <= 0 { turn += 2 * Double.pi }
        while turn > 2 * Double.pi { turn -= 2 * Double.pi }
        return turn
    }

    /// The unused edge leaving `vertex` that turns least counter-clockwise from direction `back`.
    mutating func leastTurn(at vertex: Int, from back: Double) -> Int? {
        guard let fan = fanOfVertex[vertex] else { return nil }
        let angles = fans[fan].angles
        // First position whose angle is greater than `back`; edges at or below it come after a full wrap.
        var low = 0, high = angles.count
        while low < high {
            let middle = (low + high) / 2
            if angles[middle] > back { high = middle } else { low = middle + 1 }
        }
        var position = find(fan, low)
        if position == angles.count { position = find(fan, 0) }
        return position < angles.count ? fans[fan].edges[position] : nil
    }

    private mutating func find(_ fan: Int, _ start: Int) -> Int {
        var root = start
        while fans[fan].next[root] != root { root = fans[fan].next[root] }
        var node = start
        while fans[fan].next[node] != root {
            let following = fans[fan].next[node]
            fans[fan].next[node] = root
            node = following
        }
        return root
    }
}
