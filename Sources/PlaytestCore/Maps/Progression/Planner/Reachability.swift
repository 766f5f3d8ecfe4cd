/// Which nodes the player can walk to from a node with the current heights, and which of them can walk back
/// (the area the player can leave and return to). Walks that cross a walk-over line whose special the planner
/// has not applied yet are left out: crossing one is an action of its own.
struct Reachability {
    /// Per node: the move that first reached it (nil: the origin or unreached).
    private(set) var reached: [Bool]
    private(set) var returns: [Bool]
    private(set) var order: [Int]

    init(graph: NavigationGraph, from origin: Int, heights: SectorHeights, blocked: (NavigationGraph.Move) -> Bool) {
        let count = graph.nodes.count
        var reached = [Bool](repeating: false, count: count)
        var order = [origin]
        reached[origin] = true
        var head = 0
        while head < order.count {
            let node = order[head]
            head += 1
            for move in graph.outgoing[node] where !reached[move.target] {
                guard !blocked(move), graph.allows(move, heights: heights) else { continue }
                reached[move.target] = true
                order.append(move.target)
            }
        }
        var returns = [Bool](repeating: false, count: count)
        var queue = [origin]
        returns[origin] = true
        head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for move in graph.incoming[node] where reached[move.target] && !returns[move.target] {
                // `move` walks from move.target to node; check it in that direction.
                let forward = NavigationGraph.Move(edge: move.edge, forward: move.forward, target: node)
                guard !blocked(forward), graph.allows(forward, heights: heights) else { continue }
                returns[move.target] = true
                queue.append(move.target)
            }
        }
        self.reached = reached
        self.returns = returns
        self.order = order
    }

    /// In the area the player can leave and come back to.
    func isHome(_ node: Int) -> Bool { reached[node] && returns[node] }

    var count: Int { order.count }

    /// The smallest node index of the home area: names the area in the search's visited set.
    var homeKey: Int { order.filter { returns[$0] }.min() ?? order[0] }
}

/// Shortest walks between nodes by length (Dijkstra), for the route a plan shows.
enum RouteFinder {
    static func path(in graph: NavigationGraph, from origin: Int, to goal: Int, heights: SectorHeights,
                     blocked: (NavigationGraph.Move) -> Bool) -> [Int]? {
        if origin == goal { return [origin] }
        var distance = [Double](repeating: .infinity, count: graph.nodes.count)
        var previous = [Int](repeating: -1, count: graph.nodes.count)
        var heap = MinHeap()
        distance[origin] = 0
        heap.push(0, origin)
        while let (d, node) = heap.pop() {
            if node == goal { break }
            if d > distance[node] { continue }
            for move in graph.outgoing[node] {
                let next = d + graph.length(of: move)
                guard next < distance[move.target], !blocked(move), graph.allows(move, heights: heights) else { continue }
                distance[move.target] = next
                previous[move.target] = node
                heap.push(next, move.target)
            }
        }
        guard distance[goal].isFinite else { return nil }
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
