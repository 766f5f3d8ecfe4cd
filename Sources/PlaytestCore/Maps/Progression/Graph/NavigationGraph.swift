/// A walkable graph of a map: points the player's centre can stand on, and straight walks between them that
/// touch no wall and no solid decoration. Whether a walk is possible right now depends on the heights of the
/// sectors it passes through (`SectorHeights.allows`), so one graph serves the planner (modelled heights)
/// and the navigator (live heights). docs/navigation.md is the contract.
public struct NavigationGraph: Sendable {
    public struct Node: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var sector: Int
        public var kind: NodeKind

        public var point: MapPoint { MapPoint(x: x, y: y) }
    }

    public enum NodeKind: String, Sendable, Hashable, Codable {
        /// Beside a two-sided line, on one of its sides.
        case portal
        /// On a lattice inside a sector, for open and concave areas.
        case inner
        /// Where a pickup lies.
        case item
        /// Where the player stands to press USE on a line, or to shoot it.
        case useSpot
        /// A teleport destination.
        case destination
        /// The player start.
        case start
    }

    /// A straight walk between two nodes.
    public struct Edge: Sendable, Hashable {
        public var a: Int
        public var b: Int
        /// The sectors the walk passes through from `a` to `b`, in order (at least one).
        public var sectors: [Int]
        /// Linedefs with a player walk-over special that the walk crosses.
        public var triggerLines: [Int]
        /// Moving sectors whose edge the walk passes within the player's radius without entering them: the
        /// player's box touches `far` while standing in `near`, which must fit (`SectorHeights.allowsTouch`).
        public var touches: [Touch]
        public var length: Double
    }

    public struct Touch: Sendable, Hashable {
        public var near: Int
        public var far: Int
    }

    /// Walking from `from` across `line` (from its front side) lands on `to`.
    public struct Teleport: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var line: Int
    }

    public let nodes: [Node]
    public let edges: [Edge]
    public let teleports: [Teleport]
    /// The node of the player start for the graph's skill, nil when the map has none.
    public let start: Int?
    /// Node indices by purpose: the nodes of a thing (pickups, by thing index) and of a line (use and shoot spots,
    /// teleport approaches, by linedef index).
    public let thingNodes: [Int: Int]
    public let useSpots: [Int: [Int]]
    public let shootSpots: [Int: [Int]]

    /// Outgoing moves per node: (edge index, forward) for walks, and teleports with their index (as `edges.count + i`).
    let outgoing: [[Move]]
    let incoming: [[Move]]

    struct Move: Sendable, Hashable {
        var edge: Int
        var forward: Bool
        var target: Int
    }

    init(nodes: [Node], edges: [Edge], teleports: [Teleport], start: Int?, thingNodes: [Int: Int],
         useSpots: [Int: [Int]], shootSpots: [Int: [Int]]) {
        self.nodes = nodes
        self.edges = edges
        self.teleports = teleports
        self.start = start
        self.thingNodes = thingNodes
        self.useSpots = useSpots
        self.shootSpots = shootSpots
        var outgoing = [[Move]](repeating: [], count: nodes.count)
        var incoming = [[Move]](repeating: [], count: nodes.count)
        for (index, edge) in edges.enumerated() {
            outgoing[edge.a].append(Move(edge: index, forward: true, target: edge.b))
            outgoing[edge.b].append(Move(edge: index, forward: false, target: edge.a))
            incoming[edge.b].append(Move(edge: index, forward: true, target: edge.a))
            incoming[edge.a].append(Move(edge: index, forward: false, target: edge.b))
        }
        for (index, teleport) in teleports.enumerated() {
            outgoing[teleport.from].append(Move(edge: edges.count + index, forward: true, target: teleport.to))
            incoming[teleport.to].append(Move(edge: edges.count + index, forward: true, target: teleport.from))
        }
        self.outgoing = outgoing
        self.incoming = incoming
    }

    /// The nearest node to a point (linear scan: called a handful of times per plan).
    public func nearestNode(to point: MapPoint, inSector sector: Int? = nil) -> Int? {
        var best: (Int, Double)?
        for (index, node) in nodes.enumerated() where sector == nil || node.sector == sector {
            let d = (node.x - point.x) * (node.x - point.x) + (node.y - point.y) * (node.y - point.y)
            if d < best?.1 ?? .infinity { best = (index, d) }
        }
        return best?.0
    }

    func length(of move: Move) -> Double {
        move.edge < edges.count ? edges[move.edge].length : 64
    }

    /// Whether a move is possible with these heights (walks: the passability rule along their sectors;
    /// teleports: always).
    func allows(_ move: Move, heights: SectorHeights) -> Bool {
        guard move.edge < edges.count else { return true }
        let edge = edges[move.edge]
        for touch in edge.touches where !heights.allowsTouch(near: touch.near, far: touch.far) { return false }
        let sectors = edge.sectors
        if sectors.count == 1 { return heights.hasHeadroom(sectors[0]) }
        if move.forward {
            for i in 0..<(sectors.count - 1) where !heights.allows(from: sectors[i], to: sectors[i + 1]) { return false }
        } else {
            for i in stride(from: sectors.count - 1, to: 0, by: -1) where !heights.allows(from: sectors[i], to: sectors[i - 1]) {
                return false
            }
        }
        return true
    }
}
