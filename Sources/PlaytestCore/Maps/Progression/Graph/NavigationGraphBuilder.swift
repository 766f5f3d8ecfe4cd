/// Builds a map's `NavigationGraph` at one skill.
///
/// Nodes: two points beside every two-sided line (one per side, 20 units out), a lattice over every sector
/// (nudged into narrow places), the keys, the spots in front of switches and gun targets, the teleport
/// destinations and the player start. Edges: straight walks between nearby nodes that keep the player's
/// radius (16) away from walls, from blocking lines, from ledges too high to touch and from solid decorations.
struct NavigationGraphBuilder {
    static let radius = 16.0
    static let portalOffset = 20.0
    static let latticeSpacing = 64.0
    static let reach = 160.0
    private static let directions: [(Double, Double)] = [(1, 0), (0.7071, 0.7071), (0, 1), (-0.7071, 0.7071), (-1, 0),
                                                         (-0.7071, -0.7071), (0, -1), (0.7071, -0.7071)]

    private let model: ProgressionModel
    private var lines: SpatialIndex
    private var solids: SpatialIndex
    private let solidDiscs: [(point: MapPoint, radius: Double)]
    private let isWall: [Bool]
    private var nodes: [NavigationGraph.Node] = []
    private var nodeCells: [Int64: [Int]] = [:]

    init(model: ProgressionModel) {
        self.model = model
        let map = model.map
        let margin = Self.radius
        let bounds = model.geometry.bounds
        let padded = MapBounds(minX: bounds.minX - 64, minY: bounds.minY - 64, maxX: bounds.maxX + 64, maxY: bounds.maxY + 64)
        lines = SpatialIndex(bounds: padded, cellSize: 128, boxes: model.lineEnds.map { ends in
            ends.map { MapBounds(minX: min($0.0.x, $0.1.x) - margin, minY: min($0.0.y, $0.1.y) - margin,
                                 maxX: max($0.0.x, $0.1.x) + margin, maxY: max($0.0.y, $0.1.y) + margin) }
        })
        var discs: [(point: MapPoint, radius: Double)] = []
        for index in model.things {
            let thing = map.things[index]
            guard let entry = SolidDecorations.entry(for: thing.type), thing.position.isUsable else { continue }
            if entry.hangs, let sector = model.geometry.sector(at: thing.position),
               map.sectors[sector].ceilingHeight - map.sectors[sector].floorHeight >= entry.height + SectorHeights.playerHeight {
                continue   // hangs high enough to walk under
            }
            discs.append((thing.position, entry.radius))
        }
        solidDiscs = discs
        solids = SpatialIndex(bounds: padded, cellSize: 128, boxes: discs.map { disc in
            MapBounds(minX: disc.point.x - disc.radius - margin, minY: disc.point.y - disc.radius - margin,
                      maxX: disc.point.x + disc.radius + margin, maxY: disc.point.y + disc.radius + margin)
        })
        isWall = map.linedefs.map { line in
            line.isBlocking || map.sector(ofSide: line.frontSide) == nil || map.sector(ofSide: line.backSide) == nil
        }
    }

    static func build(model: ProgressionModel) -> NavigationGraph {
        var builder = NavigationGraphBuilder(model: model)
        return builder.build()
    }

    private mutating func build() -> NavigationGraph {
        let map = model.map
        var nonLattice = Set<Int>()
        func mark(_ node: Int?) -> Int? {
            if let node { nonLattice.insert(node) }
            return node
        }
        // The player start, keys, teleport destinations.
        let start = map.things.firstIndex { $0.type == 1 }.flatMap { mark(addNode(near: map.things[$0].position, kind: .start)) }
        var thingNodes: [Int: Int] = [:]
        for index in model.things where GameKey(thingType: map.things[index].type) != nil {
            if let node = mark(addNode(near: map.things[index].position, kind: .item)) { thingNodes[index] = node }
        }
        for boss in model.bossActions {
            for index in boss.monsters {
                if let node = mark(addNode(near: map.things[index].position, kind: .item, search: 96)) { thingNodes[index] = node }
            }
        }
        // Beside every two-sided line, and the spots from which lines are used or shot.
        var useSpots: [Int: [Int]] = [:], shootSpots: [Int: [Int]] = [:]
        var teleports: [NavigationGraph.Teleport] = []
        for (index, line) in map.linedefs.enumerated() {
            guard let (a, b) = model.lineEnds[index] else { continue }
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let (nx, ny) = NavGeometry.frontNormal(a, b)
            if !isWall[index], length >= 2 * Self.radius,
               let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide), front != back {
                let count = max(1, Int((length / 96).rounded(.up)))
                for i in 0..<count {
                    let t = (Double(i) + 0.5) / Double(count)
                    let p = MapPoint(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
                    for (sign, sector) in [(1.0, front), (-1.0, back)] {
                        let q = MapPoint(x: p.x + sign * nx * Self.portalOffset, y: p.y + sign * ny * Self.portalOffset)
                        if model.geometry.sector(at: q) == sector, isClear(q) { _ = addNode(at: q, sector: sector, kind: .portal) }
                    }
                }
            }
            guard let action = model.actions[index], action.byPlayer else { continue }
            let mid = MapPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
            switch action.activation {
            case .use, .push:
                let spots = spotsInFront(of: mid, normal: (nx, ny), distances: [32, 24, 44, 56], along: (b.x - a.x, b.y - a.y), length: length)
                useSpots[index] = spots.compactMap { mark($0) }
            case .shoot:
                let spots = spotsInFront(of: mid, normal: (nx, ny), distances: [96, 160, 64, 256, 40], along: (b.x - a.x, b.y - a.y), length: length)
                shootSpots[index] = spots.compactMap { mark($0) }
            case .walk, .none:
                break
            }
            if case .teleport = action.effect, let destination = model.teleportDestination(ofLine: index),
               let to = mark(addNode(near: destination, kind: .destination, search: 48)) {
                let sources: [Int]
                if action.activation == .walk {
                    let approach = MapPoint(x: mid.x + nx * Self.portalOffset, y: mid.y + ny * Self.portalOffset)
                    sources = model.geometry.sector(at: approach).flatMap { sector in
                        isClear(approach) ? mark(addNode(at: approach, sector: sector, kind: .portal)) : nil
                    }.map { [$0] } ?? []
                } else {
                    sources = useSpots[index] ?? []
                }
                for from in sources { teleports.append(NavigationGraph.Teleport(from: from, to: to, line: index)) }
            }
        }
        addLattice()
        let edges = connect(nonLattice: nonLattice)
        return NavigationGraph(nodes: nodes, edges: edges, teleports: teleports, start: start, thingNodes: thingNodes,
                               useSpots: useSpots, shootSpots: shootSpots)
    }

    // MARK: Nodes

    private static func cellKey(_ x: Double, _ y: Double, _ size: Double) -> Int64 {
        (Int64((x / size).rounded(.down)) << 32) ^ Int64(UInt32(truncatingIfNeeded: Int((y / size).rounded(.down))))
    }

    /// Adds a node, or returns an existing one of the same sector within 6 units.
    private mutating func addNode(at p: MapPoint, sector: Int, kind: NavigationGraph.NodeKind) -> Int {
        let cx = Int((p.x / 16).rounded(.down)), cy = Int((p.y / 16).rounded(.down))
        for dx in -1...1 {
            for dy in -1...1 {
                let key = (Int64(cx + dx) << 32) ^ Int64(UInt32(truncatingIfNeeded: cy + dy))
                for existing in nodeCells[key] ?? [] where nodes[existing].sector == sector {
                    let node = nodes[existing]
                    if (node.x - p.x) * (node.x - p.x) + (node.y - p.y) * (node.y - p.y) < 36 { return existing }
                }
            }
        }
        nodes.append(NavigationGraph.Node(x: p.x, y: p.y, sector: sector, kind: kind))
        nodeCells[(Int64(cx) << 32) ^ Int64(UInt32(truncatingIfNeeded: cy)), default: []].append(nodes.count - 1)
        return nodes.count - 1
    }

    /// A node at the first clear point within `search` units of `p` (rings of 8 directions), nil if none.
    private mutating func addNode(near p: MapPoint, kind: NavigationGraph.NodeKind, search: Double = 32) -> Int? {
        guard p.isUsable else { return nil }
        var radius = 0.0
        while radius <= search {
            for (dx, dy) in radius == 0 ? [(0.0, 0.0)] : Self.directions {
                let q = MapPoint(x: p.x + radius * dx, y: p.y + radius * dy)
                if let sector = model.geometry.sector(at: q), isClear(q) { return addNode(at: q, sector: sector, kind: kind) }
            }
            radius += 8
        }
        return nil
    }

    /// Clear points in front of a line's midpoint (its front side) from which the line can be used or shot.
    private mutating func spotsInFront(of mid: MapPoint, normal: (Double, Double), distances: [Double],
                                       along: (Double, Double), length: Double) -> [Int?] {
        let unit = length > 0 ? (along.0 / length, along.1 / length) : (0.0, 0.0)
        for distance in distances {
            for slide in [0.0, 16, -16] where abs(slide) < length / 2 {
                let q = MapPoint(x: mid.x + normal.0 * distance + unit.0 * slide, y: mid.y + normal.1 * distance + unit.1 * slide)
                guard let sector = model.geometry.sector(at: q), isClear(q), hasLineOfSight(from: q, to: mid) else { continue }
                return [addNode(at: q, sector: sector, kind: .useSpot)]
            }
        }
        return []
    }

    /// A lattice over the sectors, each point nudged up to 24 units to find a clear place.
    private mutating func addLattice() {
        let bounds = model.geometry.bounds
        let step = Self.latticeSpacing
        let nudges: [(Double, Double)] = [(0, 0), (16, 0), (-16, 0), (0, 16), (0, -16), (16, 16), (-16, 16), (16, -16),
                                          (-16, -16), (24, 0), (-24, 0), (0, 24), (0, -24)]
        var y = bounds.minY + step / 2
        while y < bounds.maxY {
            var x = bounds.minX + step / 2
            while x < bounds.maxX {
                for (dx, dy) in nudges {
                    let q = MapPoint(x: x + dx, y: y + dy)
                    if let sector = model.geometry.sector(at: q), isClear(q) {
                        _ = addNode(at: q, sector: sector, kind: .inner)
                        break
                    }
                }
                x += step
            }
            y += step
        }
    }

    // MARK: Clearance

    /// Whether the player's centre can stand at `p`: nothing it may not touch within 16 units.
    private mutating func isClear(_ p: MapPoint) -> Bool {
        let r = Self.radius
        let box = MapBounds(minX: p.x - r, minY: p.y - r, maxX: p.x + r, maxY: p.y + r)
        let model = self.model, isWall = self.isWall
        let linesClear = lines.forEach(near: box) { line in
            guard let (a, b) = model.lineEnds[line], NavGeometry.distance(p, a, b) < r else { return true }
            return Self.mayTouch(line: line, side: NavGeometry.side(p, a, b), model: model, isWall: isWall)
        }
        guard linesClear else { return false }
        let discs = solidDiscs
        return solids.forEach(near: box) { index in
            let disc = discs[index]
            let dx = disc.point.x - p.x, dy = disc.point.y - p.y
            return (dx * dx + dy * dy).squareRoot() >= disc.radius + r
        }
    }

    /// Whether the player's box may overlap a line it does not cross, standing on `side` of it: not a wall, not
    /// the edge of a moving sector, and not a ledge too high or an opening too low to fit in.
    private static func mayTouch(line index: Int, side: Double, model: ProgressionModel, isWall: [Bool]) -> Bool {
        guard !isWall[index] else { return false }
        let map = model.map, line = map.linedefs[index]
        guard let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide) else { return false }
        if front == back { return true }
        if model.movers[front] || model.movers[back] { return false }
        func fits(_ near: Int, _ far: Int) -> Bool {
            let n = map.sectors[near], f = map.sectors[far]
            return f.floorHeight - n.floorHeight <= SectorHeights.stepHeight
                && min(n.ceilingHeight, f.ceilingHeight) - max(n.floorHeight, f.floorHeight) >= SectorHeights.playerHeight
        }
        if side > 0 { return fits(front, back) }
        if side < 0 { return fits(back, front) }
        return fits(front, back) && fits(back, front)
    }

    /// No wall between two points (heights ignored): for use and shoot spots.
    private mutating func hasLineOfSight(from p: MapPoint, to q: MapPoint) -> Bool {
        let box = MapBounds(minX: min(p.x, q.x), minY: min(p.y, q.y), maxX: max(p.x, q.x), maxY: max(p.y, q.y))
        let model = self.model, isWall = self.isWall
        return lines.forEach(near: box) { line in
            guard isWall[line], let (a, b) = model.lineEnds[line] else { return true }
            // The target line itself ends at q: only walls properly crossed before reaching it count.
            guard let t = NavGeometry.crossing(p, q, a, b) else { return true }
            return t > 0.98
        }
    }

    // MARK: Edges

    private mutating func connect(nonLattice: Set<Int>) -> [NavigationGraph.Edge] {
        var buckets: [Int64: [Int]] = [:]
        for (index, node) in nodes.enumerated() { buckets[Self.cellKey(node.x, node.y, Self.reach), default: []].append(index) }
        let latticeReach = Self.latticeSpacing * 1.5
        var edges: [NavigationGraph.Edge] = []
        for i in nodes.indices {
            let node = nodes[i]
            let cx = Int((node.x / Self.reach).rounded(.down)), cy = Int((node.y / Self.reach).rounded(.down))
            for dx in -1...1 {
                for dy in -1...1 {
                    let key = (Int64(cx + dx) << 32) ^ Int64(UInt32(truncatingIfNeeded: cy + dy))
                    for j in buckets[key] ?? [] where j > i {
                        let other = nodes[j]
                        let distance = ((other.x - node.x) * (other.x - node.x) + (other.y - node.y) * (other.y - node.y)).squareRoot()
                        let limit = nonLattice.contains(i) || nonLattice.contains(j) || node.kind == .portal || other.kind == .portal
                            ? Self.reach : latticeReach
                        guard distance <= limit, distance > 0.5 else { continue }
                        if let edge = walk(from: i, to: j, length: distance) { edges.append(edge) }
                    }
                }
            }
        }
        return edges
    }

    /// The walk from node `i` to node `j` as an edge, or nil when it touches something the player may not
    /// touch, teleports the player, or can never be walked in either direction.
    private mutating func walk(from i: Int, to j: Int, length: Double) -> NavigationGraph.Edge? {
        let p = nodes[i].point, q = nodes[j].point
        let r = Self.radius
        let box = MapBounds(minX: min(p.x, q.x) - r, minY: min(p.y, q.y) - r, maxX: max(p.x, q.x) + r, maxY: max(p.y, q.y) + r)
        let model = self.model, isWall = self.isWall
        let map = model.map
        var crossings: [(t: Double, line: Int, from: Int, to: Int)] = []
        var touches: [NavigationGraph.Touch] = []
        let linesOK = lines.forEach(near: box) { index in
            guard let (a, b) = model.lineEnds[index] else { return true }
            if let t = NavGeometry.crossing(p, q, a, b) {
                guard !isWall[index], let front = map.sector(ofSide: map.linedefs[index].frontSide),
                      let back = map.sector(ofSide: map.linedefs[index].backSide) else { return false }
                let fromFront = NavGeometry.side(p, a, b) > 0
                if fromFront, let action = model.actions[index], action.byPlayer, action.activation == .walk,
                   case .teleport = action.effect {
                    return false   // the player would be teleported away: that is a teleport, not a walk
                }
                crossings.append((t, index, fromFront ? front : back, fromFront ? back : front))
                return true
            }
            guard NavGeometry.distance(p, q, a, b) < r else { return true }
            let sideP = NavGeometry.side(p, a, b), sideQ = NavGeometry.side(q, a, b)
            let side = sideP == sideQ ? sideP : 0
            let line = map.linedefs[index]
            if !isWall[index], let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide),
               front != back, model.movers[front] || model.movers[back] {
                // Whether the box may touch a moving sector depends on its heights at the time: keep it on the edge.
                if side >= 0 { touches.append(NavigationGraph.Touch(near: front, far: back)) }
                if side <= 0 { touches.append(NavigationGraph.Touch(near: back, far: front)) }
                return true
            }
            return Self.mayTouch(line: index, side: side, model: model, isWall: isWall)
        }
        guard linesOK else { return nil }
        let discs = solidDiscs
        let solidsOK = solids.forEach(near: box) { index in
            NavGeometry.distance(discs[index].point, p, q) >= discs[index].radius + r
        }
        guard solidsOK else { return nil }
        crossings.sort { $0.t < $1.t }
        var sectors = [nodes[i].sector]
        var entered = [0.0]   // where along the walk each sector of `sectors` was entered
        var triggers: [Int] = []
        for crossing in crossings {
            guard crossing.from == sectors[sectors.count - 1] || crossing.from == crossing.to else { return nil }
            if crossing.to != sectors[sectors.count - 1] {
                sectors.append(crossing.to)
                entered.append(crossing.t * length)
            }
            if let action = model.actions[crossing.line], action.byPlayer, action.activation == .walk,
               action.effect != .cosmetic, !triggers.contains(crossing.line) {
                triggers.append(crossing.line)
            }
        }
        guard sectors[sectors.count - 1] == nodes[j].sector else { return nil }
        entered.append(length)
        sectors = bridgingGaps(sectors, entered: entered)
        guard isEverWalkable(sectors) else { return nil }
        // A touch of a sector the walk also enters says nothing more than the crossing does.
        touches = Array(Set(touches.filter { !sectors.contains($0.far) })).sorted { ($0.near, $0.far) < ($1.near, $1.far) }
        return NavigationGraph.Edge(a: i, b: j, sectors: sectors, triggerLines: triggers, touches: touches, length: length)
    }

    /// Leaves out the sectors a walk only passes over: narrower along the walk than the player's box (32),
    /// lower than the floors on both sides and never moving. The player stands on the higher floors around such
    /// a gap (Doom takes the highest floor the box touches), so it never drops into it.
    private func bridgingGaps(_ sectors: [Int], entered: [Double]) -> [Int] {
        guard sectors.count >= 3 else { return sectors }
        let map = model.map
        var result = [sectors[0]]
        for k in 1..<(sectors.count - 1) {
            let gap = sectors[k], before = result[result.count - 1], after = sectors[k + 1]
            let width = entered[k + 1] - entered[k]
            let ground = max(map.sectors[before].floorHeight, map.sectors[after].floorHeight)
            let isGap = width < 2 * Self.radius && !model.movers[gap] && !model.movers[before] && !model.movers[after]
                && map.sectors[gap].floorHeight < min(map.sectors[before].floorHeight, map.sectors[after].floorHeight)
                && map.sectors[gap].ceilingHeight - ground >= SectorHeights.playerHeight
            if !isGap && gap != before { result.append(gap) }
        }
        if sectors[sectors.count - 1] != result[result.count - 1] { result.append(sectors[sectors.count - 1]) }
        return result
    }

    /// False when some step of the walk can never be taken in either direction: neither sector ever moves and
    /// the heights forbid it both ways (a wall-high ledge, a gap too low).
    private func isEverWalkable(_ sectors: [Int]) -> Bool {
        let map = model.map
        func allows(_ a: Int, _ b: Int) -> Bool {
            let sa = map.sectors[a], sb = map.sectors[b]
            return SectorHeights.allows(floorA: sa.floorHeight, ceilingA: sa.ceilingHeight, floorB: sb.floorHeight, ceilingB: sb.ceilingHeight)
        }
        if sectors.count == 1 {
            let s = map.sectors[sectors[0]]
            return model.movers[sectors[0]] || s.ceilingHeight - s.floorHeight >= SectorHeights.playerHeight
        }
        for k in 0..<(sectors.count - 1) {
            let a = sectors[k], b = sectors[k + 1]
            if model.movers[a] || model.movers[b] { continue }
            if !allows(a, b) && !allows(b, a) { return false }
        }
        return true
    }
}
