/// What the planner's graph says about a place the player was in play (docs/findings.md, "Softlocks and sequence
/// breaks"): whether an exit can still be reached from it, and which keys the way there from the start needs.
///
/// Both questions are asked in the most generous world the graph allows — every door and lift open, every floor at
/// any height it can reach, every walk-over line set off — so an answer of "no way to the exit" or "needs the red
/// key" holds whatever the player did before: a claim made from here is never an artefact of the order of events.
public struct ProgressionRegions: Sendable {
    private let graph: NavigationGraph
    /// Per area of the graph: an exit can be reached from it.
    private let escapes: [Bool]
    /// Per key colour a lock of the map asks for: per area, reachable from the start without that colour.
    private let withoutColor: [(color: KeyColor, areas: [Bool])]
    /// Per area: reachable from the start with every key.
    private let reachable: [Bool]
    /// The sectors of the nodes reachable from the start, with every door and lift open and every key held.
    public let reachableSectors: Set<Int>
    /// The graph's nodes in each sector, for placing a point.
    private let nodesBySector: [Int: [Int]]
    /// The rules and the generous heights, for where monsters can walk.
    private let world: PlanWorld?
    private let open: SectorHeights?
    /// Whether the generous world leads from the start to an exit at all: when it does not (the planner cannot model
    /// the way), nothing here judges a place.
    public let exitReachableFromStart: Bool

    public init(_ result: ProgressionPlanner.Result) {
        let graph = result.graph
        self.graph = graph
        var bySector: [Int: [Int]] = [:]
        for (index, node) in graph.nodes.enumerated() { bySector[node.sector, default: []].append(index) }
        nodesBySector = bySector
        guard let world = result.world, let start = graph.start else {
            escapes = Array(repeating: false, count: graph.areaCount)
            reachable = escapes
            reachableSectors = []
            withoutColor = []
            exitReachableFromStart = false
            self.world = nil
            self.open = nil
            return
        }
        let diagnosis = BlockerDiagnosis(world: world)
        let open = diagnosis.relaxedHeights(from: world.initialHeights)
        self.world = world
        self.open = open
        var goals = Set(diagnosis.exitSpots())
        goals.formUnion(diagnosis.exitCrossings(open).keys)
        escapes = Self.areasReaching(goals.map { graph.area[$0] }, graph: graph, heights: open)
        let reached = Self.areasReached(from: graph.area[start], graph: graph, heights: open)
        reachable = reached
        reachableSectors = Set(graph.nodes.indices.lazy.filter { reached[graph.area[$0]] }.map { graph.nodes[$0].sector })
        exitReachableFromStart = escapes[graph.area[start]]
        withoutColor = Self.lockedColors(world.model).map { color in
            // A sector only a locked line moves keeps its heights as the map starts.
            let heights = diagnosis.relaxedHeights(from: world.initialHeights, keeping: Self.moversLocked(against: color, model: world.model))
            return (color, Self.areasReached(from: graph.area[start], graph: graph, heights: heights))
        }
    }

    /// The node standing for a point the player was at: the nearest node in the sector the point lies in, nil when that
    /// sector has none (a door track, a thin step).
    public func node(at point: MapPoint, sector: Int) -> Int? {
        var best: (node: Int, distance: Double)?
        for node in nodesBySector[sector] ?? [] {
            let n = graph.nodes[node]
            let d = (n.x - point.x) * (n.x - point.x) + (n.y - point.y) * (n.y - point.y)
            if d < best?.distance ?? .infinity { best = (node, d) }
        }
        return best?.node
    }

    /// Whether an exit can be reached from the node, with every door and lift open and every key held.
    public func canReachExit(from node: Int) -> Bool { escapes[graph.area[node]] }

    /// Whether the node can be reached from the start, with every door and lift open and every key held.
    public func isReachable(_ node: Int) -> Bool { reachable[graph.area[node]] }

    /// Whether a monster in the sector is sealed in: walking from it (by the player's step and headroom rule, which
    /// lets it farther than a monster goes; every door and lift open) it reaches no sector the player reaches and no
    /// monster teleporter's line, and the sectors it walks have no opening at all onto any other (a window, a fence, a
    /// ledge: a player could shoot it through one, E1M4's balcony imps, E2M4's caged cacodemons). False when the map's
    /// rules are unknown.
    public func monsterIsShutIn(sector: Int) -> Bool {
        guard let world, let open else { return false }
        let playerSectors = reachableSectors
        var seen: Set<Int> = [sector]
        var queue = [sector]
        while let here = queue.popLast() {
            if playerSectors.contains(here) { return false }
            if let behind = world.monsterTeleportCrossings[here], behind.contains(where: { $0 == here || open.allows(from: here, to: $0) }) {
                return false
            }
            for next in world.monsterNeighbours[here] where !seen.contains(next) && open.allows(from: here, to: next) {
                seen.insert(next)
                queue.append(next)
            }
        }
        for here in seen {
            for next in world.model.neighbours[here] where !seen.contains(next) {
                if min(open.ceilings[here], open.ceilings[next]) > max(open.floors[here], open.floors[next]) { return false }
            }
        }
        return true
    }

    /// The key colours without which the node cannot be reached from the start, in the map's lock order: each is a
    /// colour every way there passes a lock of.
    public func colorsNeeded(at node: Int) -> [KeyColor] {
        let area = graph.area[node]
        guard reachable[area] else { return [] }
        return withoutColor.filter { !$0.areas[area] }.map(\.color)
    }

    // MARK: searches over areas

    /// Areas a walk from `origin` reaches.
    private static func areasReached(from origin: Int, graph: NavigationGraph, heights: SectorHeights) -> [Bool] {
        flood(from: [origin], over: graph.areaOutgoing, graph: graph, heights: heights)
    }

    /// Areas from which a walk reaches one of `goals`: the same flood over the moves into each area (an incoming move
    /// walks from its target area into this one).
    private static func areasReaching(_ goals: [Int], graph: NavigationGraph, heights: SectorHeights) -> [Bool] {
        flood(from: goals, over: graph.areaIncoming, graph: graph, heights: heights)
    }

    private static func flood(from seeds: [Int], over adjacency: NavigationGraph.Adjacency, graph: NavigationGraph,
                              heights: SectorHeights) -> [Bool] {
        var marked = [Bool](repeating: false, count: graph.areaCount)
        var queue: [Int] = []
        for seed in seeds where !marked[seed] {
            marked[seed] = true
            queue.append(seed)
        }
        var head = 0
        while head < queue.count {
            let area = queue[head]
            head += 1
            for k in adjacency.starts[area]..<adjacency.starts[area + 1] {
                let move = adjacency.moves[k]
                guard !marked[move.target], graph.allows(move, heights: heights) else { continue }
                marked[move.target] = true
                queue.append(move.target)
            }
        }
        return marked
    }

    // MARK: locks

    /// The colours some line's lock asks for, in colour order.
    private static func lockedColors(_ model: ProgressionModel) -> [KeyColor] {
        KeyColor.allCases.filter { color in
            model.actions.contains { action in
                guard let lock = action?.lock, action?.byPlayer == true else { return false }
                return !lock.isOpened(by: keys(without: color)) && lock.isOpened(by: allKeys)
            }
        }
    }

    /// Moving sectors that only lines locked against a player without `color` move.
    private static func moversLocked(against color: KeyColor, model: ProgressionModel) -> Set<Int> {
        let without = keys(without: color)
        var opened = Set<Int>(), locked = Set<Int>()
        for (line, action) in model.actions.enumerated() {
            guard let action, action.byPlayer, action.effect.movesSectors else { continue }
            for sector in model.sectorsMoved(byLine: line) {
                if action.lock.isOpened(by: without) { opened.insert(sector) } else { locked.insert(sector) }
            }
        }
        for boss in model.bossActions {
            guard case .sectors(let tag, _) = boss.outcome else { continue }
            opened.formUnion(model.sectorsByTag[tag] ?? [])
        }
        return locked.subtracting(opened)
    }

    private static let allKeys: KeySet = KeySet.all.reduce(KeySet()) { $0.inserting($1) }

    private static func keys(without color: KeyColor) -> KeySet {
        KeySet.all.filter { $0.color != color }.reduce(KeySet()) { $0.inserting($1) }
    }
}
