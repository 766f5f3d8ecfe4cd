/// Which nodes the player can walk to from a node with the current heights, and which of them can walk back
/// (the area the player can leave and return to). Walks that cross a walk-over line whose special the planner
/// has not applied yet are left out: crossing one is an action of its own.
struct Reachability {
    /// Per area: whether the player can walk there, and whether it can walk back to the origin from there.
    private let areas: [Bool]
    private let back: [Bool]
    private let nodeArea: [Int]
    /// How many nodes are reached.
    let count: Int

    /// The search runs over the graph's areas (nodes joined by fixed two-way walks); a node is reached with its area.
    /// `returns: false` leaves out the walk back (half the work) for callers that only ask `reaches`: `isHome` and
    /// `homeKey` must not be asked then.
    init(graph: NavigationGraph, from origin: Int, heights: SectorHeights, returns: Bool = true,
         blocked: (NavigationGraph.Move) -> Bool) {
        let start = graph.area[origin]
        var areas = [Bool](repeating: false, count: graph.areaCount)
        var queue = [start]
        queue.reserveCapacity(graph.areaCount)
        areas[start] = true
        var count = graph.areaSize[start]
        let outStarts = graph.areaOutgoing.starts, outMoves = graph.areaOutgoing.moves
        var head = 0
        while head < queue.count {
            let area = queue[head]
            head += 1
            for k in outStarts[area]..<outStarts[area + 1] {
                let move = outMoves[k]
                guard !areas[move.target], !blocked(move), graph.allows(move, heights: heights) else { continue }
                areas[move.target] = true
                count += graph.areaSize[move.target]
                queue.append(move.target)
            }
        }
        self.areas = areas
        nodeArea = graph.area
        self.count = count
        guard returns else {
            self.back = []
            return
        }
        var back = [Bool](repeating: false, count: graph.areaCount)
        queue.removeAll(keepingCapacity: true)
        queue.append(start)
        back[start] = true
        let inStarts = graph.areaIncoming.starts, inMoves = graph.areaIncoming.moves
        head = 0
        while head < queue.count {
            let area = queue[head]
            head += 1
            for k in inStarts[area]..<inStarts[area + 1] {
                let move = inMoves[k]
                guard areas[move.target], !back[move.target] else { continue }
                // `move` walks from its target area into this one; check it in that direction.
                guard !blocked(move), graph.allows(move, heights: heights) else { continue }
                back[move.target] = true
                queue.append(move.target)
            }
        }
        self.back = back
    }

    /// Whether the player can walk to the node.
    @inline(__always)
    func reaches(_ node: Int) -> Bool { areas[nodeArea[node]] }

    /// Per node: whether the player can walk there.
    var reached: [Bool] { nodeArea.map { areas[$0] } }

    /// In the area the player can leave and come back to.
    @inline(__always)
    func isHome(_ node: Int) -> Bool {
        let area = nodeArea[node]
        return areas[area] && back[area]
    }

    /// Names the home area in the search's visited set.
    var homeKey: Int { back.firstIndex(of: true) ?? 0 }
}

/// Shortest walks between nodes by length (Dijkstra), for the route a plan shows.
enum RouteFinder {
    static func path(in graph: NavigationGraph, from origin: Int, to goal: Int, heights: SectorHeights,
                     blocked: (NavigationGraph.Move) -> Bool) -> [Int]? {
        path(in: graph, from: origin, isGoal: { $0 == goal }, heights: heights, blocked: blocked)
    }

    /// The shortest walk to the nearest of several goals.
    static func path(in graph: NavigationGraph, from origin: Int, toAnyOf goals: Set<Int>, heights: SectorHeights,
                     blocked: (NavigationGraph.Move) -> Bool) -> [Int]? {
        path(in: graph, from: origin, isGoal: { goals.contains($0) }, heights: heights, blocked: blocked)
    }

    /// The shortest walk to the nearest node that `isGoal` accepts (one goal is told by comparing, not by hashing
    /// it into a set at every step).
    @inline(__always)
    private static func path(in graph: NavigationGraph, from origin: Int, isGoal: (Int) -> Bool, heights: SectorHeights,
                             blocked: (NavigationGraph.Move) -> Bool) -> [Int]? {
        if isGoal(origin) { return [origin] }
        var distance = [Double](repeating: .infinity, count: graph.nodes.count)
        var previous = [Int](repeating: -1, count: graph.nodes.count)
        var heap = MinHeap()
        distance[origin] = 0
        heap.push(0, origin)
        var reached: Int?
        let starts = graph.outgoing.starts, moves = graph.outgoing.moves
        while let (d, node) = heap.pop() {
            if isGoal(node) {
                reached = node
                break
            }
            if d > distance[node] { continue }
            for k in starts[node]..<starts[node + 1] {
                let move = moves[k]
                let next = d + graph.length(of: move)
                guard next < distance[move.target], !blocked(move), graph.allows(move, heights: heights) else { continue }
                distance[move.target] = next
                previous[move.target] = node
                heap.push(next, move.target)
            }
        }
        guard let goal = reached else { return nil }
        var path = [goal]
        while let last = path.last, last != origin { path.append(previous[last]) }
        return path.reversed()
    }
}

/// A binary min-heap of (priority, node).
struct MinHeap {
    private var items: [(Double, Int)] = []

    mutating func push(_ priority: Double, _ node: Int) {
        items.append((priority, node))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].0 < items[parent].0 else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count && items[l].0 < items[smallest].0 { smallest = l }
                if r < items.count && items[r].0 < items[smallest].0 { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return first
    }
}
