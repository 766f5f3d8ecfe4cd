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
        /// Which ways the walk may be taken: bit 0 from `a` to `b`, bit 1 from `b` to `a` (3: both). A walk across a
        /// teleporter's line goes only from its back (from the front the player is teleported).
        public var directions: UInt8 = 3
        /// A running leap over a pit (`NavigationGraphBuilder+Leaps`): taken from `a` only, in a straight line at a
        /// straferun from a standing start at `a`; walking, the player would fall into the pit.
        public var leap = false
        /// The highest step up the walk allows: less than 24 where it hops a gap beside a moving floor (bridged at
        /// whatever heights it has), by how far the player falls while over the gap (`NavigationGraphBuilder.hopFall`).
        public var maxRise = SectorHeights.stepHeight

        /// Whether the walk may be taken one way only.
        public var isOneWay: Bool { directions != 3 }
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
    /// Node indices by purpose: where a thing can be picked up or fought (keys and boss monsters, by thing index:
    /// a key on a ledge is picked up from below), and where a line is used or shot (by linedef index).
    public let thingNodes: [Int: [Int]]
    public let useSpots: [Int: [Int]]
    public let shootSpots: [Int: [Int]]
    /// Per line, per use or shoot spot: the moving sectors (doors) the use or the shot passes through on its way
    /// to the line; each must be open at the time.
    public let through: [Int: [Int: [Int]]]

    /// Moves out of and into each node, flat (`outgoing.moves[outgoing.range(node)]`): walks as (edge, direction),
    /// teleports as edge `edges.count + i`.
    let outgoing: Adjacency
    let incoming: Adjacency
    /// Per edge: whether its passability can change (it passes or touches a moving sector), and if not, whether it
    /// can be walked forward (bit 0) and backward (bit 1) — computed once, so most moves cost a lookup.
    private let fixedPassage: [UInt8]

    /// Stored in 32 bits a field (12 bytes, not 24): the searches read millions of moves, and half the memory is
    /// half the cache misses.
    struct Move: Sendable, Hashable {
        private var storedEdge: Int32
        var forward: Bool
        private var storedTarget: Int32

        init(edge: Int, forward: Bool, target: Int) {
            storedEdge = Int32(edge)
            self.forward = forward
            storedTarget = Int32(target)
        }

        var edge: Int { Int(storedEdge) }
        var target: Int { Int(storedTarget) }
    }

    /// Moves per node, in one array.
    struct Adjacency: Sendable {
        let starts: [Int]
        let moves: [Move]

        init(count: Int, _ pairs: [(node: Int, move: Move)]) {
            var counts = [Int](repeating: 0, count: count + 1)
            for pair in pairs { counts[pair.node + 1] += 1 }
            for i in 0..<count { counts[i + 1] += counts[i] }
            var next = counts
            var moves = [Move](repeating: Move(edge: 0, forward: true, target: 0), count: pairs.count)
            for pair in pairs {
                moves[next[pair.node]] = pair.move
                next[pair.node] += 1
            }
            starts = counts
            self.moves = moves
        }

        @inline(__always) func range(_ node: Int) -> Range<Int> { starts[node]..<starts[node + 1] }

        func callAsFunction(_ node: Int) -> ArraySlice<Move> { moves[range(node)] }
    }

    static let dynamicPassage: UInt8 = 4

    /// Edge lengths, and the sectors and touches of the edges whose passability can change, in flat arrays (reading
    /// an `Edge` copies its arrays: too slow for the searches' inner loops).
    private let lengths: [Double]
    private let dynamicSlot: [Int32]
    private let dynamicSectorStart: [Int32]
    private let dynamicSectors: [Int32]
    private let dynamicTouchStart: [Int32]
    private let dynamicTouches: [Int32]   // near, far pairs
    private let dynamicMaxRise: [Double]

    /// Areas of nodes joined by walks that go both ways and never change (no moving sector, no walk-over
    /// special): whoever reaches one node of an area reaches all of it, so searches run over areas.
    let area: [Int]
    let areaCount: Int
    /// Nodes per area.
    let areaSize: [Int]
    /// Nodes per area, and the moves between areas (a move's `target` is an area).
    let areaNodes: Adjacency
    let areaOutgoing: Adjacency
    /// Per edge and direction (`2 * edge + (forward ? 0 : 1)`): a hash of what decides whether the move is possible and
    /// what it sets off (sectors in order, touches, walk-over lines, one-way rule). Moves of one kind are alike. Only
    /// for edges between two areas or over walk-over lines (0 for the others).
    let moveKinds: [Int]
    let areaIncoming: Adjacency

    init(nodes: [Node], edges: [Edge], teleports: [Teleport], start: Int?, thingNodes: [Int: [Int]],
         useSpots: [Int: [Int]], shootSpots: [Int: [Int]], through: [Int: [Int: [Int]]], movers: [Bool],
         initialHeights: SectorHeights) {
        self.through = through
        self.nodes = nodes
        self.edges = edges
        self.teleports = teleports
        self.start = start
        self.thingNodes = thingNodes
        self.useSpots = useSpots
        self.shootSpots = shootSpots
        // The loops over edges read fields in place (`edges[index].a`): binding a whole `Edge` copies it, retaining its
        // three arrays, and they run over millions of edges.
        var out: [(node: Int, move: Move)] = [], into: [(node: Int, move: Move)] = []
        out.reserveCapacity(2 * edges.count + teleports.count)
        into.reserveCapacity(2 * edges.count + teleports.count)
        for index in edges.indices {
            let a = edges[index].a, b = edges[index].b
            out.append((a, Move(edge: index, forward: true, target: b)))
            out.append((b, Move(edge: index, forward: false, target: a)))
            into.append((b, Move(edge: index, forward: true, target: a)))
            into.append((a, Move(edge: index, forward: false, target: b)))
        }
        for (index, teleport) in teleports.enumerated() {
            out.append((teleport.from, Move(edge: edges.count + index, forward: true, target: teleport.to)))
            into.append((teleport.to, Move(edge: edges.count + index, forward: true, target: teleport.from)))
        }
        outgoing = Adjacency(count: nodes.count, out)
        incoming = Adjacency(count: nodes.count, into)
        var passage = [UInt8](repeating: 0, count: edges.count)
        for index in edges.indices {
            let directions = edges[index].directions
            let moving = edges[index].sectors.contains { movers[$0] } || edges[index].touches.contains { movers[$0.near] || movers[$0.far] }
            if moving {
                passage[index] = Self.dynamicPassage | directions << 3
                continue
            }
            let forward = Self.evaluate(sectors: edges[index].sectors, touches: edges[index].touches, forward: true, heights: initialHeights,
                                        maxRise: edges[index].maxRise)
            let backward = Self.evaluate(sectors: edges[index].sectors, touches: edges[index].touches, forward: false, heights: initialHeights,
                                         maxRise: edges[index].maxRise)
            passage[index] = ((forward ? 1 : 0) | (backward ? 2 : 0)) & directions
        }
        fixedPassage = passage
        var lengths = [Double](repeating: 0, count: edges.count)
        for index in edges.indices { lengths[index] = edges[index].length + (edges[index].leap ? Self.leapPremium : 0) }
        self.lengths = lengths
        var slots = [Int32](repeating: -1, count: edges.count)
        var sectorStart: [Int32] = [0], sectorList: [Int32] = [], touchStart: [Int32] = [0], touchList: [Int32] = [], maxRises: [Double] = []
        for index in edges.indices where passage[index] & Self.dynamicPassage != 0 {
            slots[index] = Int32(sectorStart.count - 1)
            maxRises.append(edges[index].maxRise)
            for sector in edges[index].sectors { sectorList.append(Int32(sector)) }
            sectorStart.append(Int32(sectorList.count))
            for touch in edges[index].touches {
                touchList.append(Int32(touch.near))
                touchList.append(Int32(touch.far))
            }
            touchStart.append(Int32(touchList.count))
        }
        dynamicSlot = slots
        dynamicSectorStart = sectorStart
        dynamicSectors = sectorList
        dynamicTouchStart = touchStart
        dynamicTouches = touchList
        dynamicMaxRise = maxRises
        // Union the nodes of fixed two-way walks into areas.
        var union = NodeUnion(count: nodes.count)
        for index in edges.indices where passage[index] == 3 && edges[index].triggerLines.isEmpty {
            union.join(edges[index].a, edges[index].b)
        }
        // Areas are numbered in the order of their first node.
        var areaOf = [Int](repeating: -1, count: nodes.count)
        var areaOfRoot = [Int](repeating: -1, count: nodes.count)
        var areas = 0
        for node in nodes.indices {
            let r = union.root(node)
            if areaOfRoot[r] < 0 {
                areaOfRoot[r] = areas
                areas += 1
            }
            areaOf[node] = areaOfRoot[r]
        }
        area = areaOf
        areaCount = areas
        var sizes = [Int](repeating: 0, count: areas)
        for a in areaOf { sizes[a] += 1 }
        areaSize = sizes
        areaNodes = Adjacency(count: areas, nodes.indices.map { (areaOf[$0], Move(edge: 0, forward: true, target: $0)) })
        // Moves between areas; of moves that join the same two areas under the same conditions (the same sectors in
        // the same order, touches, walk-over lines, one-way rule), one is enough for a search over areas.
        var kinds = [Int](repeating: 0, count: 2 * edges.count)
        for index in edges.indices where areaOf[edges[index].a] != areaOf[edges[index].b] || !edges[index].triggerLines.isEmpty {
            for direction in 0..<2 {
                let forward = direction == 0
                var hasher = MoveKindHash()
                // Each list with its length first, so that no two signatures run together.
                let sectors = edges[index].sectors
                hasher.combine(sectors.count)
                if forward {
                    for sector in sectors { hasher.combine(sector) }
                } else {
                    for sector in sectors.reversed() { hasher.combine(sector) }
                }
                hasher.combine(edges[index].touches.count)
                for touch in edges[index].touches {
                    hasher.combine(touch.near)
                    hasher.combine(touch.far)
                }
                hasher.combine(edges[index].triggerLines.count)
                for line in edges[index].triggerLines { hasher.combine(line) }
                hasher.combine(Int(edges[index].maxRise * 16))
                let bit: UInt8 = forward ? 1 : 2
                let fixed = passage[index]
                hasher.combine(Int(fixed & Self.dynamicPassage != 0 ? (fixed >> 3) & bit | 4 : fixed & bit))
                kinds[2 * index + (forward ? 0 : 1)] = hasher.value
            }
        }
        moveKinds = kinds
        var areaOut: [(node: Int, move: Move)] = [], areaIn: [(node: Int, move: Move)] = []
        let between = out.reduce(0) { $0 + (areaOf[$1.node] != areaOf[$1.move.target] ? 1 : 0) }
        var seenOut = MoveSignatures(capacity: between), seenIn = MoveSignatures(capacity: between)
        for pair in out where areaOf[pair.node] != areaOf[pair.move.target] {
            let from = areaOf[pair.node], to = areaOf[pair.move.target]
            if pair.move.edge < edges.count,   // teleports: all kept
               !seenOut.insert(from: from, to: to, kind: kinds[2 * pair.move.edge + (pair.move.forward ? 0 : 1)]) {
                continue
            }
            areaOut.append((from, Move(edge: pair.move.edge, forward: pair.move.forward, target: to)))
        }
        for pair in into where areaOf[pair.node] != areaOf[pair.move.target] {
            // `pair.move` walks from its target into `pair.node`.
            let to = areaOf[pair.node], from = areaOf[pair.move.target]
            if pair.move.edge < edges.count,
               !seenIn.insert(from: from, to: to, kind: kinds[2 * pair.move.edge + (pair.move.forward ? 0 : 1)]) {
                continue
            }
            areaIn.append((to, Move(edge: pair.move.edge, forward: pair.move.forward, target: from)))
        }
        areaOutgoing = Adjacency(count: areas, areaOut)
        areaIncoming = Adjacency(count: areas, areaIn)
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

    /// Whether an edge's passability can change (it passes or touches a moving sector).
    func isDynamic(_ edge: Int) -> Bool { fixedPassage[edge] & Self.dynamicPassage != 0 }

    /// What a leap costs a route beyond its length: it is taken only where walking does not do (a missed leap is a
    /// fall into the pit).
    static let leapPremium = 1024.0

    /// A move's cost to a route: its length, and a leap's premium.
    func length(of move: Move) -> Double {
        move.edge < lengths.count ? lengths[move.edge] : 64
    }

    /// Whether a move is possible with these heights (walks: the passability rule along their sectors;
    /// teleports: always).
    @inline(__always)
    func allows(_ move: Move, heights: SectorHeights) -> Bool {
        guard move.edge < edges.count else { return true }
        let fixed = fixedPassage[move.edge]
        if fixed & Self.dynamicPassage == 0 { return fixed & (move.forward ? 1 : 2) != 0 }
        guard fixed >> 3 & (move.forward ? 1 : 2) != 0 else { return false }
        let slot = Int(dynamicSlot[move.edge])
        let touchEnd = Int(dynamicTouchStart[slot + 1])
        var t = Int(dynamicTouchStart[slot])
        while t < touchEnd {
            if !heights.allowsTouch(near: Int(dynamicTouches[t]), far: Int(dynamicTouches[t + 1])) { return false }
            t += 2
        }
        let first = Int(dynamicSectorStart[slot]), end = Int(dynamicSectorStart[slot + 1])
        if end - first == 1 { return heights.hasHeadroom(Int(dynamicSectors[first])) }
        let maxRise = dynamicMaxRise[slot]
        var low = false
        if move.forward {
            var k = first
            while k + 1 < end {
                let step = heights.step(from: Int(dynamicSectors[k]), to: Int(dynamicSectors[k + 1]), arrivedLow: low, maxRise: maxRise)
                if !step.allowed { return false }
                low = step.low
                k += 1
            }
        } else {
            var k = end - 1
            while k > first {
                let step = heights.step(from: Int(dynamicSectors[k]), to: Int(dynamicSectors[k - 1]), arrivedLow: low, maxRise: maxRise)
                if !step.allowed { return false }
                low = step.low
                k -= 1
            }
        }
        return true
    }

    private static func evaluate(sectors: [Int], touches: [Touch], forward: Bool, heights: SectorHeights, maxRise: Double) -> Bool {
        for touch in touches where !heights.allowsTouch(near: touch.near, far: touch.far) { return false }
        let count = sectors.count
        if count == 1 { return heights.hasHeadroom(sectors[0]) }
        var low = false
        for i in 0..<(count - 1) {
            // Backward: the same sectors from the last (indices, not a reversed copy).
            let (from, to) = forward ? (sectors[i], sectors[i + 1]) : (sectors[count - 1 - i], sectors[count - 2 - i])
            let step = heights.step(from: from, to: to, arrivedLow: low, maxRise: maxRise)
            if !step.allowed { return false }
            low = step.low
        }
        return true
    }

    /// How far, in map units, the heights of a move's forbidden steps are from allowing them (0 when every step is
    /// allowed): the rise above 24 plus the headroom missing below 56, at the best of each sector's floor heights. A
    /// change that lowers it without lowering `violations` is progress too: Doom's "raise floor 32" twice, from two
    /// switches, brings E4M8's bridge 72 below a ledge to 8 below it, and the first press alone opens nothing.
    func shortfall(_ move: Move, heights: SectorHeights) -> Double {
        guard move.edge < edges.count else { return 0 }
        let fixed = fixedPassage[move.edge]
        if fixed & Self.dynamicPassage == 0 || fixed >> 3 & (move.forward ? 1 : 2) == 0 { return 0 }
        let slot = Int(dynamicSlot[move.edge])
        let first = Int(dynamicSectorStart[slot]), end = Int(dynamicSectorStart[slot + 1])
        if end - first == 1 { return heights.headroomShortfall(Int(dynamicSectors[first])) }
        var total = 0.0
        for i in 0..<(end - 1 - first) {
            let (a, b) = move.forward ? (Int(dynamicSectors[first + i]), Int(dynamicSectors[first + i + 1]))
                : (Int(dynamicSectors[end - 1 - i]), Int(dynamicSectors[end - 2 - i]))
            total += heights.stepShortfall(from: a, to: b, maxRise: dynamicMaxRise[slot])
        }
        return total
    }

    /// How many of a move's steps and touches the heights forbid (0: the move is possible). A change that lowers
    /// it is progress even when the move stays impossible (one of two doors in a row opened).
    func violations(_ move: Move, heights: SectorHeights) -> Int {
        guard move.edge < edges.count else { return 0 }
        let fixed = fixedPassage[move.edge]
        if fixed & Self.dynamicPassage == 0 { return fixed & (move.forward ? 1 : 2) != 0 ? 0 : 1 }
        if fixed >> 3 & (move.forward ? 1 : 2) == 0 { return 1 }
        let slot = Int(dynamicSlot[move.edge])
        var count = 0
        var t = Int(dynamicTouchStart[slot])
        while t < Int(dynamicTouchStart[slot + 1]) {
            if !heights.allowsTouch(near: Int(dynamicTouches[t]), far: Int(dynamicTouches[t + 1])) { count += 1 }
            t += 2
        }
        let first = Int(dynamicSectorStart[slot]), end = Int(dynamicSectorStart[slot + 1])
        if end - first == 1 { return count + (heights.hasHeadroom(Int(dynamicSectors[first])) ? 0 : 1) }
        var low = false
        for i in 0..<(end - 1 - first) {
            let (a, b) = move.forward ? (Int(dynamicSectors[first + i]), Int(dynamicSectors[first + i + 1]))
                : (Int(dynamicSectors[end - 1 - i]), Int(dynamicSectors[end - 2 - i]))
            let step = heights.step(from: a, to: b, arrivedLow: low, maxRise: dynamicMaxRise[slot])
            if !step.allowed { count += 1 }
            low = step.low
        }
        return count
    }
}
