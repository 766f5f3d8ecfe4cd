/// Builds a map's `NavigationGraph` at one skill.
///
/// Nodes: two points beside every two-sided line (one per side, 20 units out), a lattice over every sector
/// (nudged into narrow places), the keys, the spots in front of switches and gun targets, the teleport
/// destinations and the player start. Edges: straight walks between nearby nodes that keep the player's
/// radius (16) away from walls, from blocking lines, from ledges too high to touch and from solid decorations.
struct NavigationGraphBuilder {
    static let radius = 16.0
    /// What clearance checks compare with: a line within this distance (touching included) counts as touched. Doom
    /// lets a box that only touches a line through, but a passage exactly 32 units wide needs the player's centre
    /// exactly on its middle line, which a player (or the navigator in VizDoom) never hits: it counts as closed.
    /// Solid things are kept at this distance or more (a thing is met on a grid, where touching is common).
    static let fit = 16.0
    static let portalOffset = 20.0
    /// Closer than this to a line, a point counts as on it.
    static let onLine = 0.5
    static let latticeSpacing = 64.0
    /// How far edges reach: between lattice nodes (their neighbours, nudged), from other nodes, and between
    /// other nodes of one sector (a long corridor).
    static let latticeReach = 112.0
    static let reach = 160.0
    /// How far the player's box crosses a gap lower than both sides while touching neither floor without dropping into
    /// it: two tics at walking speed (Doom's forwardmove 25 gives 25 × 2048 / 65536 / (1 − 0.90625) = 16.67 units a
    /// tic); it falls 2 units in the first tic over the gap and 5 by the second.
    static let hop = 2 * 25 * 2048 / 65536 / (1 - 0.90625)
    static let corridorReach = 160.0
    /// Walking speed, units a tic.
    static let walkSpeed = hop / 2
    /// The longest stretch in the air of a hop beside a moving floor (4 tics at walking speed, 33 units; MAP29's 32-unit
    /// hop over a pit between two ledges a line lowers).
    static let hopAirLimit = 4 * walkSpeed

    /// How far a running player (the navigator runs hops) may have fallen when its box reaches the far floor after
    /// `airborne` units over a gap, at worst: its box may leave the floor just after a tic's move, so every move over
    /// the gap ends with a tic of falling (2, 5, 9, 14… after 1, 2, 3, 4 tics). E3M4's hop from a raised walkway over
    /// 24 units of lava onto a floor 16 higher: 2 tics running, a fall of 5; walking it would be 3 and 9, one short.
    static func hopFall(airborne: Double) -> Double {
        let tics = (airborne / hop).rounded(.up)
        return tics * (tics + 3) / 2
    }

    /// How far the player falls while its box is over a gap for `airborne` units of a walk: nothing while some of it
    /// still overlaps a floor, 2 units in the first tic (`hop` / 2 at walking speed), at most 8 within two.
    static func fall(airborne: Double) -> Double {
        airborne <= 0 ? 0 : (airborne <= hop / 2 ? 2 : 8)
    }
    private static let directions: [(Double, Double)] = [(1, 0), (0.7071, 0.7071), (0, 1), (-0.7071, 0.7071), (-1, 0),
                                                         (-0.7071, -0.7071), (0, -1), (0.7071, -0.7071)]

    let model: ProgressionModel
    let lines: SpatialIndex
    private let solids: SpatialIndex
    private let solidThings: [(point: MapPoint, radius: Double)]
    let isWall: [Bool]
    /// Per line, flat for `walk` (its ends, length, sectors and whether it is a wall).
    private let lineTable: LineTable
    /// Per line: whether crossing it sets off a player's walk-over special, and whether it is a walk-over teleporter.
    private let lineWalkTrigger: [Bool]
    private var lineTeleports: [Bool]
    /// Sector heights as the map starts, and whether they move.
    let floors: [Double], ceilings: [Double], movers: [Bool], floorMovers: [Bool]
    /// Per sector, the lowest and highest floor it ever takes (its own where it never moves): a pit whose floor moves
    /// is leapt over while the highest stays under both ledges (E2M4's room at -64 that a walk-over line lowers to
    /// -128); a boss is aimed at from every height of the floor that carries the player.
    let floorRanges: [(low: Double, high: Double)]
    /// Scratch buffers of `walk`.
    private var crossingBuffer: [(t: Double, line: Int, from: Int, to: Int)] = []
    private var nearBuffer: [(line: Int, side: Double)] = []
    private var enteredBuffer: [Double] = []
    private var sectorBuffer: [Int] = []
    private var enteredByBuffer: [Int] = []
    /// Per sector, the one-sector list of a walk that stays in it (a third of all edges), shared by their edges.
    private let singleSectors: [[Int]]
    private(set) var nodes: [NavigationGraph.Node] = []
    private(set) var nodeCells: NodeCells
    /// Per walk-over teleport line: its destination node, and the nodes from which a straight walk crosses it
    /// from its front side (with the distance walked to the line).
    private var teleportDestinations: [Int: Int] = [:]
    private var teleportSources: [Int: [(node: Int, distance: Double)]] = [:]
    /// Set by `walk`: the walk as judged differs from its optimistic variant (`bridgingGaps`).
    private var variantWanted = false
    /// At most this many walk-in nodes per teleport line, nearest first.
    private static let teleportSourcesPerLine = 6

    init(model: ProgressionModel) {
        self.model = model
        let map = model.map
        let margin = Self.radius
        let bounds = model.geometry.bounds
        let padded = MapBounds(minX: bounds.minX - 64, minY: bounds.minY - 64, maxX: bounds.maxX + 64, maxY: bounds.maxY + 64)
        lines = SpatialIndex(bounds: padded, cellSize: 64, boxes: model.lineEnds.map { ends in
            ends.map { MapBounds(minX: min($0.0.x, $0.1.x) - margin, minY: min($0.0.y, $0.1.y) - margin,
                                 maxX: max($0.0.x, $0.1.x) + margin, maxY: max($0.0.y, $0.1.y) + margin) }
        })
        nodeCells = NodeCells(bounds: padded)
        var solid: [(point: MapPoint, radius: Double)] = []
        for index in model.things {
            let thing = map.things[index]
            guard let entry = SolidDecorations.entry(for: thing.type), thing.position.isUsable else { continue }
            if entry.hangs, let sector = model.geometry.sector(at: thing.position),
               map.sectors[sector].ceilingHeight - map.sectors[sector].floorHeight >= entry.height + SectorHeights.playerHeight {
                continue   // hangs high enough to walk under
            }
            solid.append((thing.position, entry.radius))
        }
        solidThings = solid
        solids = SpatialIndex(bounds: padded, cellSize: 128, boxes: solid.map { disc in
            MapBounds(minX: disc.point.x - disc.radius - margin, minY: disc.point.y - disc.radius - margin,
                      maxX: disc.point.x + disc.radius + margin, maxY: disc.point.y + disc.radius + margin)
        })
        isWall = map.linedefs.map { line in
            line.isBlocking || map.sector(ofSide: line.frontSide) == nil || map.sector(ofSide: line.backSide) == nil
        }
        lineTable = LineTable(map: map, lineEnds: model.lineEnds, isWall: isWall)
        lineWalkTrigger = model.actions.map { action in
            guard let action else { return false }
            return action.byPlayer && action.activation == .walk && action.effect != .cosmetic
        }
        lineTeleports = Array(repeating: false, count: map.linedefs.count)
        floors = map.sectors.map(\.floorHeight)
        ceilings = map.sectors.map(\.ceilingHeight)
        movers = model.movers
        floorMovers = model.floorMovers
        floorRanges = Self.floorRanges(model: model)
        singleSectors = map.sectors.indices.map { [$0] }
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
        var thingNodes: [Int: [Int]] = [:]
        for index in model.things where GameKey(thingType: map.things[index].type) != nil {
            thingNodes[index] = pickupNodes(for: map.things[index]).compactMap(mark)
        }
        // Beside every two-sided line, and the spots from which lines are used or shot.
        var useSpots: [Int: [Int]] = [:], shootSpots: [Int: [Int]] = [:]
        var through: [Int: [Int: [Int]]] = [:]
        var teleports: [NavigationGraph.Teleport] = []
        var portals: [Int: [Int]] = [:]   // per two-sided line, the nodes beside it
        for (index, line) in map.linedefs.enumerated() {
            guard let (a, b) = model.lineEnds[index] else { continue }
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let (nx, ny) = NavGeometry.frontNormal(a, b)
            let walkTrigger = model.actions[index].map { $0.byPlayer && $0.activation == .walk } ?? false
            if !isWall[index], length >= 2 * Self.radius || walkTrigger,
               let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide),
               front != back || walkTrigger, walkTrigger || !isSeamless(front, back) {
                // Along the line every 96 units, and 24 units from each end (narrow places are often at corners).
                let count = max(1, Int((length / 96).rounded(.up)))
                var positions = (0..<count).map { (Double($0) + 0.5) / Double(count) }
                if length >= 64 { positions += [24 / length, 1 - 24 / length] }
                for t in positions {
                    let p = MapPoint(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
                    for (sign, sector) in [(1.0, front), (-1.0, back)] {
                        // 20 units out, or just the player's radius where the far side is narrow.
                        var placed = false
                        for offset in [Self.portalOffset, Self.radius, Self.radius / 2] {
                            let q = MapPoint(x: p.x + sign * nx * offset, y: p.y + sign * ny * offset)
                            if model.geometry.sector(at: q) == sector, isClear(q) {
                                portals[index, default: []].append(addNode(at: q, sector: sector, kind: .portal))
                                placed = true
                                break
                            }
                        }
                        // A walk-over line in a tight corner (MAP20's pad, 8 units from two walls): the nearest clear
                        // point a few units aside, so that some walk crosses it.
                        if !placed && walkTrigger, let q = nudgedPortal(from: p, normal: (sign * nx, sign * ny), sector: sector) {
                            _ = addNode(at: q, sector: sector, kind: .portal)
                        }
                    }
                }
            }
            guard let action = model.actions[index], action.byPlayer else { continue }
            let mid = MapPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
            switch action.activation {
            case .use, .push:
                let spots = spotsInFront(of: mid, normal: (nx, ny), distances: [32, 24, 44, 56, 60], along: (b.x - a.x, b.y - a.y), length: length)
                useSpots[index] = spots.compactMap { mark($0.node) }
                through[index] = Dictionary(spots.map { ($0.node, $0.through) }, uniquingKeysWith: { first, _ in first })
            case .shoot:
                let spots = spotsInFront(of: mid, normal: (nx, ny), distances: [96, 160, 64, 256, 40, 320, 384], along: (b.x - a.x, b.y - a.y), length: length,
                                         shot: true)
                shootSpots[index] = spots.compactMap { mark($0.node) }
                through[index] = Dictionary(spots.map { ($0.node, $0.through) }, uniquingKeysWith: { first, _ in first })
            case .walk, .none:
                break
            }
            if case .teleport = action.effect, let destination = model.teleportDestination(ofLine: index),
               let to = mark(addNode(near: destination, kind: .destination, search: 48)) {
                if action.activation == .walk {
                    // Walked into from any node whose straight walk crosses the line from the front (see `walk`);
                    // a node just in front of its middle makes sure there is one.
                    teleportDestinations[index] = to
                    lineTeleports[index] = true
                    let approach = MapPoint(x: mid.x + nx * Self.portalOffset, y: mid.y + ny * Self.portalOffset)
                    let front = map.sector(ofSide: line.frontSide), back = map.sector(ofSide: line.backSide)
                    let steps = front.flatMap { f in back.map { b in
                        model.movers[f] || model.movers[b] || SectorHeights.allows(
                            floorA: map.sectors[f].floorHeight, ceilingA: map.sectors[f].ceilingHeight,
                            floorB: map.sectors[b].floorHeight, ceilingB: map.sectors[b].ceilingHeight)
                    } } ?? false
                    // Beyond the line's front sector only when that never moves: a node in MAP17's pool, round a 16-wide
                    // ring that a switch lowers, would teleport the player whatever the ring's height.
                    if steps, let sector = model.geometry.sector(at: approach), sector == front || front.map({ !model.movers[$0] }) == true,
                       isClear(approach, overMovers: true),
                       let from = mark(addNode(at: approach, sector: sector, kind: .portal)) {
                        // Straight on across the middle of the line (the pad behind may hold no node of its own).
                        teleportSources[index, default: []].append((from, Self.portalOffset))
                    }
                } else {
                    for from in useSpots[index] ?? [] { teleports.append(NavigationGraph.Teleport(from: from, to: to, line: index)) }
                }
            }
        }
        addLattice()
        addMoverNodes()
        // Boss monsters are fought from wherever they can be seen: the nearest nodes in sight within 1024 units, a few per sector.
        for boss in model.bossActions {
            for index in boss.monsters { thingNodes[index] = firingNodes(for: map.things[index]) }
        }
        let possible = possibleLeaps(portals: portals)
        var (edges, walkable) = connect(nonLattice: nonLattice)
        edges += leaps(possible, walkable: &walkable)
        for (line, sources) in teleportSources.sorted(by: { $0.key < $1.key }) {
            guard let to = teleportDestinations[line] else { continue }
            var nearest: [Int] = []   // a node whose several walks cross the line counts once
            for source in sources.sorted(by: { ($0.distance, $0.node) < ($1.distance, $1.node) }) where !nearest.contains(source.node) {
                nearest.append(source.node)
                if nearest.count == Self.teleportSourcesPerLine { break }
            }
            teleports += nearest.map { NavigationGraph.Teleport(from: $0, to: to, line: line) }
        }
        return NavigationGraph(nodes: nodes, edges: edges, teleports: teleports, start: start, thingNodes: thingNodes,
                               useSpots: useSpots, shootSpots: shootSpots, through: through, movers: model.movers,
                               initialHeights: SectorHeights(map: map))
    }

    // MARK: Nodes

    /// Adds a node, or returns an existing one of the same sector within 6 units.
    mutating func addNode(at p: MapPoint, sector: Int, kind: NavigationGraph.NodeKind) -> Int {
        let (cx, cy) = NodeCells.cell(of: p)
        for dx in -1...1 {
            for dy in -1...1 {
                for existing in nodeCells[cx + dx, cy + dy] where nodes[existing].sector == sector {
                    let node = nodes[existing]
                    if (node.x - p.x) * (node.x - p.x) + (node.y - p.y) * (node.y - p.y) < 36 { return existing }
                }
            }
        }
        nodes.append(NavigationGraph.Node(x: p.x, y: p.y, sector: sector, kind: kind))
        nodeCells.append(nodes.count - 1, cx: cx, cy: cy)
        return nodes.count - 1
    }

    /// Takes back the node added last, with the ways into teleporters its walks recorded (its index is reused).
    mutating func removeLastNode() {
        let node = nodes.removeLast()
        let (cx, cy) = NodeCells.cell(of: node.point)
        nodeCells.removeLast(cx: cx, cy: cy)
        let removed = nodes.count
        for line in teleportSources.keys where teleportSources[line]?.contains(where: { $0.node == removed }) == true {
            teleportSources[line]?.removeAll { $0.node == removed }
        }
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

    /// Where an item can be picked up: one clear point per sector from which the player's box overlaps the
    /// item's (radius 16 + 20), so a key on a ledge is reached from below it. Whether the heights let the player
    /// touch it (`PlanWorld.canTouch`) is judged when it is picked up: a key on a pillar that a switch lowers is
    /// taken from beside the pillar once it is down. Sectors whose heights never let it are left out.
    private mutating func pickupNodes(for thing: Thing) -> [Int] {
        guard thing.position.isUsable, let itemSector = model.geometry.sector(at: thing.position) else { return [] }
        let itemFloor = model.map.sectors[itemSector].floorHeight
        var bySector: [Int: Int] = [:]
        for (dx, dy) in Self.pickupOffsets {
                let q = MapPoint(x: thing.x + dx, y: thing.y + dy)
                guard let sector = model.geometry.sector(at: q), bySector[sector] == nil else { continue }
                let floor = model.map.sectors[sector].floorHeight
                let moves = model.movers[sector] || model.movers[itemSector]
                guard moves || SectorHeights.canTouchItem(playerFloor: floor, itemFloor: itemFloor), isClear(q) else { continue }
                bySector[sector] = addNode(at: q, sector: sector, kind: .item)
        }
        return bySector.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Where the player's centre may stand to touch an item: Doom compares boxes, so anywhere within 16 + 20
    /// units on both axes (a corner reaches past a ring around a pillar); nearest first.
    private static let pickupOffsets: [(Double, Double)] = {
        let steps: [Double] = stride(from: -35.0, through: 35, by: 7).map { $0 }
        var offsets: [(Double, Double)] = []
        for dx in steps { for dy in steps { offsets.append((dx, dy)) } }
        func square(_ o: (Double, Double)) -> Double { o.0 * o.0 + o.1 * o.1 }
        return offsets.sorted { square($0) < square($1) }
    }()

    /// Clear points in front of a line's midpoint (its front side) from which the line can be used or shot: the
    /// first good one per sector, nearest distance first, up to three (a switch behind a window is used from
    /// wherever the player can stand).
    /// `shot`: a gun target, reached only where a level shot from the spot clears every fixed line on the way
    /// (`bulletPasses`).
    private mutating func spotsInFront(of mid: MapPoint, normal: (Double, Double), distances: [Double],
                                       along: (Double, Double), length: Double, shot: Bool = false) -> [(node: Int, through: [Int])] {
        let unit = length > 0 ? (along.0 / length, along.1 / length) : (0.0, 0.0)
        var spots: [(node: Int, through: [Int])] = []
        var sectors = Set<Int>()
        // Where no spot is clear of moving sectors' edges, one overlapping them (MAP22's start: nested rings 16 wide that
        // all lower, the switch used from the outer one): its walks record the touches, judged with the heights of the moment.
        // Slid further along a line that has no spot at all (MAP17's switch, whose middle a barrel stands before).
        for (overMovers, slides) in [(false, Self.slides), (true, Self.slides), (false, Self.wideSlides), (true, Self.wideSlides)] where spots.isEmpty {
            for distance in distances {
                for slide in slides where abs(slide) <= length / 2 {
                    let q = MapPoint(x: mid.x + normal.0 * distance + unit.0 * slide, y: mid.y + normal.1 * distance + unit.1 * slide)
                    guard let sector = model.geometry.sector(at: q), !sectors.contains(sector), isClear(q, overMovers: overMovers),
                          let through = sight(from: q, to: mid), !shot || bulletPasses(from: q, sector: sector, to: mid) else { continue }
                    sectors.insert(sector)
                    spots.append((addNode(at: q, sector: sector, kind: .useSpot), through))
                    if spots.count == 3 { return spots }
                }
            }
        }
        return spots
    }

    private static let slides: [Double] = [0, 16, -16]
    private static let wideSlides: [Double] = [24, -24, 32, -32, 48, -48, 64, -64]

    /// A lattice over the sectors, each point nudged up to half a spacing to find a clear place (a narrow
    /// corridor gets a node wherever it passes).
    private mutating func addLattice() {
        let bounds = model.geometry.bounds
        let step = Self.latticeSpacing
        var nudges: [(Double, Double)] = [(0, 0)]
        for radius in stride(from: 8.0, through: step / 2, by: 8) { nudges += Self.directions.map { ($0.0 * radius, $0.1 * radius) } }
        var y = bounds.minY + step / 2
        while y < bounds.maxY {
            var x = bounds.minX + step / 2
            while x < bounds.maxX {
                for (dx, dy) in nudges {
                    guard model.geometry.sector(at: MapPoint(x: x + dx, y: y + dy)) != nil,
                          let q = settle(MapPoint(x: x + dx, y: y + dy)), let sector = model.geometry.sector(at: q) else { continue }
                    _ = addNode(at: q, sector: sector, kind: .inner)
                    break
                }
                x += step
            }
            y += step
        }
    }

    /// Nodes on moving floors too narrow for a clear point (E4M7's stairs, 16-wide steps built by a switch; MAP18's
    /// stepping stones, diamonds 32 across that a switch raises): up to `moverNodesPerSector` points of the sector
    /// 8 units apart on a grid, nearest its middle first and at least 48 apart, where the box may overlap the edges
    /// of moving sectors. Every walk from them records those touches, judged with the heights of the moment.
    private mutating func addMoverNodes() {
        var held = [Bool](repeating: false, count: floorMovers.count)
        for node in nodes { held[node.sector] = true }
        for sector in floorMovers.indices where floorMovers[sector] && !held[sector] {
            let points = model.geometry.sectorPolygons[sector].loops.filter { !$0.isHole }.flatMap(\.points)
            guard let box = MapBounds(points: points), box.width * box.height < 1_000_000 else { continue }
            let middle = MapPoint(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2)
            var candidates: [MapPoint] = []
            var y = box.minY + 4
            while y < box.maxY {
                var x = box.minX + 4
                while x < box.maxX {
                    let q = MapPoint(x: x, y: y)
                    if model.geometry.sector(at: q) == sector { candidates.append(q) }
                    x += 8
                }
                y += 8
            }
            candidates.sort { $0.distance(to: middle) < $1.distance(to: middle) }
            var placed: [MapPoint] = []
            for q in candidates where placed.count < Self.moverNodesPerSector && placed.allSatisfy({ $0.distance(to: q) >= 48 }) {
                guard isClear(q, overMovers: true) else { continue }
                _ = addNode(at: q, sector: sector, kind: .inner)
                placed.append(q)
            }
        }
    }

    static let moverNodesPerSector = 8

    // MARK: Clearance

    /// The nearest clear point found by pushing `p` away from whatever it overlaps (a few times: between two
    /// walls it settles in the middle), nil when it does not settle.
    private mutating func settle(_ p: MapPoint) -> MapPoint? {
        var point = p
        for _ in 0..<4 {
            if isClear(point) { return point }
            let r = Self.radius
            let box = MapBounds(minX: point.x - r, minY: point.y - r, maxX: point.x + r, maxY: point.y + r)
            let model = self.model, isWall = self.isWall, here = point
            var push: (dx: Double, dy: Double, depth: Double)?
            lines.forEach(near: box) { line in
                guard let (a, b) = model.lineEnds[line] else { return true }
                let d = NavGeometry.distance(here, a, b)
                guard d <= Self.fit, !Self.mayTouch(line: line, side: NavGeometry.side(here, a, b), model: model, isWall: isWall),
                      r - d > push?.depth ?? -1 else { return true }
                let c = NavGeometry.closestPoint(here, a, b)
                var (dx, dy) = (here.x - c.x, here.y - c.y)
                let length = (dx * dx + dy * dy).squareRoot()
                if length > 1e-6 { (dx, dy) = (dx / length, dy / length) } else { (dx, dy) = NavGeometry.frontNormal(a, b) }
                push = (dx, dy, r - d)
                return true
            }
            guard let push else { return nil }   // a solid thing, not a wall: leave it
            point = MapPoint(x: point.x + push.dx * (push.depth + 0.05), y: point.y + push.dy * (push.depth + 0.05))
            guard model.geometry.sector(at: point) != nil else { return nil }
        }
        return isClear(point) ? point : nil
    }

    /// Whether the player's centre can stand at `p`: nothing it may not touch within 16 units, and not on a line
    /// (a node must lie in one sector: walks from it are traced line by line).
    /// The clear point of `sector` nearest to 4…20 units out from `p` along `normal`, shifted up to 6 units either
    /// way on both axes, where the box may overlap moving sectors' edges (a pad that is itself the mover); nil when
    /// there is none.
    private mutating func nudgedPortal(from p: MapPoint, normal: (Double, Double), sector: Int) -> MapPoint? {
        for (offset, dx, dy) in Self.portalNudges {
            let q = MapPoint(x: p.x + normal.0 * offset + dx, y: p.y + normal.1 * offset + dy)
            if model.geometry.sector(at: q) == sector, isClear(q, overMovers: true) { return q }
        }
        return nil
    }

    /// The shifts `nudgedPortal` tries, cheapest first (the distance out along the normal, then the shift on each axis):
    /// the same for every portal, so sorted once.
    private static let portalNudges: [(offset: Double, dx: Double, dy: Double)] = {
        var candidates: [(cost: Double, nudge: (offset: Double, dx: Double, dy: Double))] = []
        for offset in [portalOffset, radius, 12, radius / 2, 4] {
            for dx in stride(from: -6.0, through: 6, by: 1) {
                for dy in stride(from: -6.0, through: 6, by: 1) where dx != 0 || dy != 0 {
                    candidates.append((dx * dx + dy * dy + abs(offset - portalOffset) / 100, (offset, dx, dy)))
                }
            }
        }
        return candidates.sorted(by: { $0.cost < $1.cost }).map(\.nudge)
    }()

    /// `overMovers`: the box may overlap the edges of moving sectors (every walk from the point records those touches,
    /// judged with the heights of the moment).
    mutating func isClear(_ p: MapPoint, overMovers: Bool = false) -> Bool {
        let r = Self.fit
        // The lines and things whose box, grown by the radius, holds the point (what it finds does not depend on
        // the order it finds it in).
        let point = MapBounds(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
        let model = self.model, isWall = self.isWall
        let linesClear = lines.forEach(overlapping: point) { line in
            guard let (a, b) = model.lineEnds[line] else { return true }
            let distance = NavGeometry.distance(p, a, b)
            guard distance <= r else { return true }
            if distance >= Self.onLine && Self.mayTouch(line: line, side: NavGeometry.side(p, a, b), model: model, isWall: isWall) {
                return true
            }
            if overMovers, distance >= Self.onLine, Self.isMoverEdge(line: line, model: model, isWall: isWall) { return true }
            // The edge of a moving sector exactly at the radius (a 32-unit step of a staircase): the node may stand there;
            // every walk from it records the touch, judged with the heights of the moment.
            return distance >= r - 1e-9 && Self.isMoverEdge(line: line, model: model, isWall: isWall)
        }
        guard linesClear else { return false }
        let solid = solidThings
        return solids.forEach(overlapping: point) { index in
            let thing = solid[index], reach = thing.radius + r   // boxes, as Doom tests them (`NavGeometry.entersSquare`)
            return abs(thing.point.x - p.x) >= reach || abs(thing.point.y - p.y) >= reach
        }
    }

    /// Whether a line is the edge of a moving sector (two-sided, not blocking).
    private static func isMoverEdge(line index: Int, model: ProgressionModel, isWall: [Bool]) -> Bool {
        guard !isWall[index] else { return false }
        let line = model.map.linedefs[index]
        guard let front = model.map.sector(ofSide: line.frontSide), let back = model.map.sector(ofSide: line.backSide) else { return false }
        return model.movers[front] || model.movers[back]
    }

    /// Whether the player's box may overlap a line it does not cross, standing on `side` of it: not a wall, not
    /// the edge of a moving sector, and not a ledge too high or an opening too low to fit in.
    private static func mayTouch(line index: Int, side: Double, model: ProgressionModel, isWall: [Bool]) -> Bool {
        guard !isWall[index] else { return false }
        let map = model.map, line = map.linedefs[index]
        guard let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide) else { return false }
        if front == back { return true }
        if model.movers[front] || model.movers[back] { return false }
        if side > 0 { return fits(front, back, map: map) }
        if side < 0 { return fits(back, front, map: map) }
        return fits(front, back, map: map) && fits(back, front, map: map)
    }

    /// Whether the box, standing in `near`, fits while it overlaps `far` (the heights as the map starts).
    private static func fits(_ near: Int, _ far: Int, map: DoomMap) -> Bool {
        let n = map.sectors[near], f = map.sectors[far]
        return f.floorHeight - n.floorHeight <= SectorHeights.stepHeight
            && min(n.ceilingHeight, f.ceilingHeight) - max(n.floorHeight, f.floorHeight) >= SectorHeights.playerHeight
    }

    /// What stands between two points for a use or a shot: nil when a one-sided line or a two-sided line that
    /// never opens is in the way (the blocking flag stops walking, not using), else the moving sectors passed
    /// through, which must be open at the time.
    mutating func sight(from p: MapPoint, to q: MapPoint) -> [Int]? {
        let box = MapBounds(minX: min(p.x, q.x), minY: min(p.y, q.y), maxX: max(p.x, q.x), maxY: max(p.y, q.y))
        let model = self.model
        let map = model.map
        var movers = Set<Int>()
        let clear = lines.forEach(near: box) { line in
            guard let (a, b) = model.lineEnds[line], let t = NavGeometry.crossing(p, q, a, b), t < 0.98 else { return true }
            guard let front = map.sector(ofSide: map.linedefs[line].frontSide),
                  let back = map.sector(ofSide: map.linedefs[line].backSide) else { return false }
            for sector in [front, back] where model.movers[sector] { movers.insert(sector) }
            if model.movers[front] || model.movers[back] { return true }
            return min(map.sectors[front].ceilingHeight, map.sectors[back].ceilingHeight)
                > max(map.sectors[front].floorHeight, map.sectors[back].floorHeight)
        }
        return clear ? movers.sorted() : nil
    }

    /// Whether a shot fired level from a player standing at `p` in `sector` (Doom fires 36 units over the floor,
    /// half the player's height and 8, straight ahead with no monster to aim at) passes through the opening of every
    /// fixed line before `q`. E3M4's gun-activated step, 16 units high atop a ledge at 112, is not hit from the pit
    /// at -48 before it: the shot strikes the ledge's wall. Lines of moving sectors, and shots from a moving floor,
    /// are left to `sight` (they must be open when the shot is fired).
    private mutating func bulletPasses(from p: MapPoint, sector: Int, to q: MapPoint) -> Bool {
        guard !model.movers[sector] else { return true }
        let z = floors[sector] + Self.shotHeight
        let box = MapBounds(minX: min(p.x, q.x), minY: min(p.y, q.y), maxX: max(p.x, q.x), maxY: max(p.y, q.y))
        let model = self.model, map = model.map, floors = self.floors, ceilings = self.ceilings
        return lines.forEach(near: box) { line in
            guard let (a, b) = model.lineEnds[line], let t = NavGeometry.crossing(p, q, a, b), t < 0.98,
                  let front = map.sector(ofSide: map.linedefs[line].frontSide),
                  let back = map.sector(ofSide: map.linedefs[line].backSide),
                  !model.movers[front], !model.movers[back] else { return true }
            return z > max(floors[front], floors[back]) && z < min(ceilings[front], ceilings[back])
        }
    }

    /// How high over its floor the player's shots leave (P_LineAttack: half its height, 28, and 8).
    static let shotHeight = 36.0

    // MARK: Edges

    /// The walks between nearby nodes, and the nodes that fixed two-way walks join (a leap between two of them adds
    /// nothing).
    private mutating func connect(nonLattice: Set<Int>) -> (edges: [NavigationGraph.Edge], joined: NodeUnion) {
        var special = [Bool](repeating: false, count: nodes.count)
        for node in nonLattice { special[node] = true }
        for (index, node) in nodes.enumerated() where node.kind == .portal { special[index] = true }
        // Candidate walks, shortest first.
        let sectors = nodes.map(\.sector)
        let pairs = CandidateWalks.find(nodes: nodes, cell: Self.corridorReach) { i, j in
            !(special[i] || special[j]) ? Self.latticeReach : (sectors[i] == sectors[j] ? Self.corridorReach : Self.reach)
        }
        // A long walk between two nodes that fixed two-way walks already join adds no way, only a shortcut: it is
        // left out (most of the graph's cost).
        var union = NodeUnion(count: nodes.count)
        var edges: [NavigationGraph.Edge] = []
        edges.reserveCapacity(pairs.count)
        for pair in pairs {
            let i = Int(pair.i), j = Int(pair.j)
            if pair.distance > Self.shortcut, union.root(i) == union.root(j) { continue }
            variantWanted = false
            let walked = walk(from: i, to: j, length: pair.distance)
            if variantWanted, let variant = walk(from: i, to: j, length: pair.distance, optimistic: true) { edges.append(variant) }
            guard let edge = consume walked else { continue }
            let joins = edge.directions == 3 && edge.triggerLines.isEmpty && edge.touches.isEmpty && isFixedTwoWay(edge.sectors)
            edges.append(consume edge)   // moved, not copied (a copy retains its three arrays)
            if joins { union.join(i, j) }
        }
        return (edges, union)
    }

    /// Walks longer than this are left out when fixed walks already join their ends.
    static let shortcut = 64.0

    /// Whether a walk through these sectors is always possible both ways (none moves, the heights allow it).
    private func isFixedTwoWay(_ sectors: [Int]) -> Bool {
        if sectors.count == 1 { return !movers[sectors[0]] && ceilings[sectors[0]] - floors[sectors[0]] >= SectorHeights.playerHeight }
        for k in 0..<(sectors.count - 1) {
            let a = sectors[k], b = sectors[k + 1]
            guard !movers[a], !movers[b],
                  SectorHeights.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b]),
                  SectorHeights.allows(floorA: floors[b], ceilingA: ceilings[b], floorB: floors[a], ceilingB: ceilings[a]) else { return false }
        }
        return true
    }

    /// The walk from node `i` to node `j` as an edge, or nil when it touches something the player may not
    /// touch, crosses a walk-over teleporter (in either direction: from the front it teleports the player, and
    /// such a walk is recorded as a way into the teleporter), or can never be walked in either direction.
    /// `leapSpeed`: the walk is a running leap at that speed (`NavigationGraphBuilder+Leaps`): pits lower than both sides
    /// are crossed in the air when the fall over the airborne stretch (`leapFall`) still lands within a step of the far floor.
    /// `optimistic`: the same walk with gaps beside moving floors bridged (`bridgingGaps`); `walk` sets `variantWanted`
    /// when that differs from the walk as judged, so that `connect` adds it as a second edge.
    mutating func walk(from i: Int, to j: Int, length: Double, leapSpeed: Double? = nil, optimistic: Bool = false) -> NavigationGraph.Edge? {
        let p = nodes[i].point, q = nodes[j].point
        let r = Self.fit
        let span = MapBounds(minX: min(p.x, q.x), minY: min(p.y, q.y), maxX: max(p.x, q.x), maxY: max(p.y, q.y))
        let box = MapBounds(minX: span.minX - r, minY: span.minY - r, maxX: span.maxX + r, maxY: span.maxY + r)
        // Lines crossed, lines the box touches without crossing, and (for a walk through three sectors or more) the
        // sectors and where the walk enters each (reused buffers; the last three are emptied only when used).
        var crossings: [(t: Double, line: Int, from: Int, to: Int)] = [], nearLines: [(line: Int, side: Double)] = []
        var entered: [Double] = [], sectors: [Int] = [], enteredBy: [Int] = []
        swap(&crossings, &crossingBuffer)
        swap(&nearLines, &nearBuffer)
        swap(&entered, &enteredBuffer)
        swap(&sectors, &sectorBuffer)
        swap(&enteredBy, &enteredByBuffer)
        if !crossings.isEmpty { crossings.removeAll(keepingCapacity: true) }   // a call, even when empty
        if !nearLines.isEmpty { nearLines.removeAll(keepingCapacity: true) }
        defer {
            swap(&crossings, &crossingBuffer)
            swap(&nearLines, &nearBuffer)
            swap(&entered, &enteredBuffer)
            swap(&sectors, &sectorBuffer)
            swap(&enteredBy, &enteredByBuffer)
        }
        let table = lineTable
        let walkX = q.x - p.x, walkY = q.y - p.y
        // The lines and things whose box, grown by the radius, overlaps the walk's: whether the walk is stopped, and
        // which lines it crosses or touches, does not depend on the order they are found in.
        let linesOK = lines.forEach(overlapping: span) { index in
            let x0 = table.ax[index], y0 = table.ay[index], x1 = table.bx[index], y1 = table.by[index]
            // A line whose box lies beyond the walk's (grown by the radius) is farther than the radius (NaN: unusable).
            guard !x0.isNaN, min(x0, x1) <= box.maxX, max(x0, x1) >= box.minX, min(y0, y1) <= box.maxY, max(y0, y1) >= box.minY
            else { return true }
            // So is a line whose ends lie on one side of the walk, or the walk's ends on one side of the line, further
            // than the radius (and a margin far above rounding): most lines near a walk, told without a division.
            let lineX = x1 - x0, lineY = y1 - y0
            let crossP = lineX * (p.y - y0) - lineY * (p.x - x0), crossQ = lineX * (q.y - y0) - lineY * (q.x - x0)
            if (crossP > 0) == (crossQ > 0), min(abs(crossP), abs(crossQ)) > (r + Self.farMargin) * table.length[index] { return true }
            let crossA = walkX * (y0 - p.y) - walkY * (x0 - p.x), crossB = walkX * (y1 - p.y) - walkY * (x1 - p.x)
            if (crossA > 0) == (crossB > 0), min(abs(crossA), abs(crossB)) > (r + Self.farMargin) * length { return true }
            let a = MapPoint(x: x0, y: y0), b = MapPoint(x: x1, y: y1)
            if let t = NavGeometry.crossing(p, q, a, b) {
                guard !table.isWall[index] else { return false }
                let front = Int(table.front[index]), back = Int(table.back[index])
                let fromFront = NavGeometry.side(p, a, b) > 0
                crossings.append((t, index, fromFront ? front : back, fromFront ? back : front))
                return true
            }
            let distance = NavGeometry.separation(p, q, a, b)
            guard distance <= r else { return true }
            // Exactly at the radius only at a point (a walk that starts beside a line and turns away from it, or grazes
            // a corner): the box touches without pressing against it, which Doom allows.
            if distance > r - 1e-6, !Self.staysAtRadius(p, q, a, b, length: length) { return true }
            guard !table.isWall[index] else { return false }
            let sideP = NavGeometry.side(p, a, b), sideQ = NavGeometry.side(q, a, b)
            nearLines.append((index, sideP == sideQ ? sideP : 0))
            return true
        }
        guard linesOK else { return nil }
        let solid = solidThings
        let solidsOK = solids.forEach(overlapping: span) { index in
            !NavGeometry.entersSquare(p, q, center: solid[index].point, half: solid[index].radius + r)
        }
        guard solidsOK else { return nil }
        if crossings.count > 1 {
            // Along the walk (an insertion sort: there are a few); lines crossed at the same point (a vertex) in the
            // order `forEach(near: box)` finds them, as the graph always took them.
            func precedes(_ x: (t: Double, line: Int, from: Int, to: Int), _ y: (t: Double, line: Int, from: Int, to: Int)) -> Bool {
                if x.t != y.t { return x.t < y.t }
                let cellX = lines.reportingCell(of: x.line, near: box), cellY = lines.reportingCell(of: y.line, near: box)
                return (cellX.row, cellX.column, x.line) < (cellY.row, cellY.column, y.line)
            }
            for k in 1..<crossings.count {
                let crossing = crossings[k]
                var m = k
                while m > 0, precedes(crossing, crossings[m - 1]) {
                    crossings[m] = crossings[m - 1]
                    m -= 1
                }
                crossings[m] = crossing
            }
        }
        var directions: UInt8 = 3
        if crossings.contains(where: { lineTeleports[$0.line] }) {
            // A walk that crosses a teleporter from its front takes the player away: it is a way into the teleporter,
            // not a walk. From the back the line does nothing (stepping off a pad).
            if noteTeleport(from: i, crossings: crossings.map { ($0.t * length, $0.line, $0.from, $0.to) }, p: p) { directions &= ~1 }
            if noteTeleport(from: j, crossings: crossings.reversed().map { ((1 - $0.t) * length, $0.line, $0.to, $0.from) }, p: q) {
                directions &= ~2
            }
            if directions == 0 { return nil }
        }
        // The sectors the walk passes through, in order: first counted (most walks stay in one or two), and listed
        // below only for three or more.
        let first = nodes[i].sector
        var here = first, sectorCount = 1
        var triggers: [Int] = []
        var lastStep = -1.0   // where the last change of sector was crossed (parameter along the walk)
        for crossing in crossings {
            if crossing.from == crossing.to {
                // A line inside one sector changes nothing (a walk through its end may meet it before entering it).
            } else if crossing.from == here {
                here = crossing.to
                sectorCount += 1
                lastStep = crossing.t
            } else if crossing.to == here, crossing.t - lastStep < 1e-9 {
                // The same step once more: the walk passes through a vertex where two lines between the sectors meet.
            } else {
                return nil
            }
            if lineWalkTrigger[crossing.line], !triggers.contains(crossing.line) { triggers.append(crossing.line) }
        }
        guard here == nodes[j].sector else { return nil }
        var touches: [NavigationGraph.Touch] = []
        var ground: [(gap: Int, higher: Int)] = []
        var maxRise = SectorHeights.stepHeight
        // The edge's own list: shared for one sector.
        let edgeSectors: [Int]
        if sectorCount >= 3 {
            // The changes of sector once more (the crossings above that changed it), with where along the walk each
            // sector was entered and across which line.
            sectors.removeAll(keepingCapacity: true)
            entered.removeAll(keepingCapacity: true)
            enteredBy.removeAll(keepingCapacity: true)
            sectors.append(first)
            entered.append(0)
            enteredBy.append(-1)
            for crossing in crossings where crossing.from != crossing.to && crossing.from == sectors[sectors.count - 1] {
                sectors.append(crossing.to)
                entered.append(crossing.t * length)
                enteredBy.append(crossing.line)
            }
            entered.append(length)
            enteredBy.append(-1)
            let direction = ((q.x - p.x) / length, (q.y - p.y) / length)
            let bridged = bridgingGaps(sectors, entered: entered, enteredBy: enteredBy, direction: direction, leapSpeed: leapSpeed,
                                       optimistic: optimistic)
            edgeSectors = bridged.sectors
            touches = bridged.touches
            ground = bridged.ground
            maxRise = bridged.maxRise
            if !optimistic, leapSpeed == nil, sectors.contains(where: { floorMovers[$0] }) {
                variantWanted = bridgingGaps(sectors, entered: entered, enteredBy: enteredBy, direction: direction, leapSpeed: nil,
                                             optimistic: true).sectors != bridged.sectors
            }
        } else {
            edgeSectors = sectorCount == 1 ? singleSectors[first] : [first, here]
        }
        guard isEverWalkable(edgeSectors) else { return nil }
        // The lines the box touches, judged from where the player stands: over a bridged gap, on the higher floor
        // beside it.
        for (index, side) in nearLines {
            let front = Int(table.front[index]), back = Int(table.back[index])
            guard front >= 0, back >= 0, front != back else { continue }
            for k in 0..<2 {
                let (near, far) = k == 0 ? (front, back) : (back, front)
                if (k == 0 && side < 0) || (k == 1 && side > 0) { continue }
                let over = ground.first { $0.gap == near }?.higher ?? near
                guard over != far else { continue }
                if movers[over] || movers[far] {
                    touches.append(NavigationGraph.Touch(near: over, far: far))
                } else if !fits(over, far) {
                    return nil
                }
            }
        }
        if squeezed(p, q, length: length, first: first, crossings: crossings, nearLines: nearLines) { return nil }
        if !touches.isEmpty {
            // A touch of a sector the walk also enters says nothing more than the crossing does.
            touches = Array(Set(touches.filter { !edgeSectors.contains($0.far) })).sorted { ($0.near, $0.far) < ($1.near, $1.far) }
        }
        return NavigationGraph.Edge(a: i, b: j, sectors: edgeSectors, triggerLines: triggers, touches: touches, length: length,
                                    directions: directions, maxRise: maxRise)
    }

    /// How much further than the radius a line must be for `walk` to pass it over without measuring the distance.
    private static let farMargin = 0.01

    /// Whether a walk that comes exactly to the radius of a line stays there for a stretch (a unit or more: it runs
    /// along the line, as between two posts 32 units apart) rather than at one point.
    private static func staysAtRadius(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint, length: Double) -> Bool {
        let samples = max(2, Int(length.rounded(.up)))
        var touching = 0
        for k in 0...samples {
            let t = Double(k) / Double(samples)
            let point = MapPoint(x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t)
            if NavGeometry.distance(point, a, b) <= fit + 1e-6 {
                touching += 1
                if touching >= 2 { return true }
            } else if touching > 0 {
                return false
            }
        }
        return false
    }

    /// Two sectors that never move and have the same floor and ceiling: a line between them changes nothing for the
    /// player (a change of light or texture), so it needs no nodes of its own.
    private func isSeamless(_ a: Int, _ b: Int) -> Bool {
        !movers[a] && !movers[b] && floors[a] == floors[b] && ceilings[a] == ceilings[b]
    }

    /// Whether the box, standing in `near`, fits while it overlaps `far` (the heights as the map starts).
    @inline(__always)
    private func fits(_ near: Int, _ far: Int) -> Bool {
        floors[far] - floors[near] <= SectorHeights.stepHeight
            && min(ceilings[near], ceilings[far]) - max(floors[near], floors[far]) >= SectorHeights.playerHeight
    }

    /// Whether a walk from `node` crosses a teleporter from its front; if so, records `node` as a way into the
    /// first one when every step before the crossing can be taken with the heights as the map starts and moves nothing.
    private mutating func noteTeleport(from node: Int, crossings: [(distance: Double, line: Int, from: Int, to: Int)], p: MapPoint) -> Bool {
        let entersTeleporter = crossings.contains { crossing in
            guard teleportDestinations[crossing.line] != nil, let (a, b) = model.lineEnds[crossing.line] else { return false }
            return NavGeometry.side(p, a, b) > 0
        }
        guard entersTeleporter else { return false }
        record(node, crossings: crossings, p: p)
        return true
    }

    private mutating func record(_ node: Int, crossings: [(distance: Double, line: Int, from: Int, to: Int)], p: MapPoint) {
        let map = model.map
        var sector = nodes[node].sector
        for crossing in crossings {
            if teleportDestinations[crossing.line] != nil, let (a, b) = model.lineEnds[crossing.line],
               NavGeometry.side(p, a, b) > 0 {
                // The move across the line must itself be possible before the teleporter fires. From a floor that
                // moves (MAP17's ring round its pad, lowered by a switch) the walks onto the node are judged with the
                // heights of the moment; the pad need only leave the player room.
                let a = map.sectors[sector], b = map.sectors[crossing.to]
                let steps = model.movers[sector] ? b.ceilingHeight - b.floorHeight >= SectorHeights.playerHeight
                    : SectorHeights.allows(floorA: a.floorHeight, ceilingA: a.ceilingHeight, floorB: b.floorHeight, ceilingB: b.ceilingHeight)
                guard crossing.from == sector, crossing.to == sector || (!model.movers[crossing.to] && steps) else { return }
                teleportSources[crossing.line, default: []].append((node, crossing.distance))
                return
            }
            guard crossing.from == sector else { return }
            let a = map.sectors[sector], b = map.sectors[crossing.to]
            let trigger = model.actions[crossing.line].map { $0.byPlayer && $0.activation == .walk && $0.effect != .cosmetic } ?? false
            guard !trigger else { return }
            if crossing.to == sector { continue }
            guard !model.movers[sector], !model.movers[crossing.to],
                  SectorHeights.allows(floorA: a.floorHeight, ceilingA: a.ceilingHeight, floorB: b.floorHeight, ceilingB: b.ceilingHeight)
            else { return }
            sector = crossing.to
        }
    }

    /// Whether the box, somewhere along the walk, overlaps at once two sectors that never move with less than the
    /// player's height between the higher floor and the lower ceiling: Doom refuses any move to such a place
    /// (tmceilingz - tmfloorz), and the player stays on the higher floor for as long as its box overlaps it. Pairs
    /// the step rule does not see: sectors that are not neighbours along the walk, and the far sides of lines only
    /// touched. E2M6: a ledge at 64, two 16-wide strips at -32, a room at -32 under a ceiling at 96; the box reaches
    /// the room as it leaves the ledge, so the player never drops. Touching exactly counts as overlapping (the player
    /// would have to stop exactly there, as in a gap exactly 32 wide).
    private func squeezed(_ p: MapPoint, _ q: MapPoint, length: Double, first: Int, crossings: [(t: Double, line: Int, from: Int, to: Int)],
                          nearLines: [(line: Int, side: Double)]) -> Bool {
        let table = lineTable
        func ends(_ line: Int) -> (a: MapPoint, b: MapPoint) {
            (MapPoint(x: table.ax[line], y: table.ay[line]), MapPoint(x: table.bx[line], y: table.by[line]))
        }
        // Heights alone first: most walks pass sectors with room to spare, and need no overlaps measured.
        var lowestCeiling = Double.infinity, highestFloor = -Double.infinity
        func note(_ sector: Int) {
            guard sector >= 0, !movers[sector] else { return }
            lowestCeiling = min(lowestCeiling, ceilings[sector])
            highestFloor = max(highestFloor, floors[sector])
        }
        note(first)
        for crossing in crossings { note(crossing.to) }
        for (line, _) in nearLines { note(Int(table.front[line])); note(Int(table.back[line])) }
        guard lowestCeiling - highestFloor < SectorHeights.playerHeight else { return false }
        // Where along the walk the box overlaps each sector: from the line it enters by to the line it leaves by
        // (the walk's ends for the first and the last), and the stretch it overlaps a line only touched.
        var spans: [(sector: Int, from: Double, to: Double)] = []
        var sector = first, from = 0.0
        for crossing in crossings where crossing.from != crossing.to && crossing.from == sector {
            let overlap = NavGeometry.boxOverlap(p, q, ends(crossing.line).a, ends(crossing.line).b, half: Self.radius)
                ?? (crossing.t, crossing.t)
            spans.append((sector, from, overlap.to * length))
            sector = crossing.to
            from = overlap.from * length
        }
        spans.append((sector, from, length))
        for (line, _) in nearLines {
            guard let overlap = NavGeometry.boxOverlap(p, q, ends(line).a, ends(line).b, half: Self.radius) else { continue }
            for side in [Int(table.front[line]), Int(table.back[line])] where side >= 0 {
                spans.append((side, overlap.from * length, overlap.to * length))
            }
        }
        for (k, x) in spans.enumerated() where !movers[x.sector] {
            for y in spans[(k + 1)...] where y.sector != x.sector && !movers[y.sector] {
                guard x.from <= y.to + 1e-6, y.from <= x.to + 1e-6 else { continue }
                if min(ceilings[x.sector], ceilings[y.sector]) - max(floors[x.sector], floors[y.sector]) < SectorHeights.playerHeight {
                    return true
                }
            }
        }
        return false
    }

    /// Leaves out the sectors a walk only passes over: no wider along the walk than the player's box (32) and
    /// lower than the floors on both sides (as the map starts). The player stands on the higher floors around such
    /// a gap (Doom takes the highest floor the box touches), so it never drops into it; a gap that moves (bars
    /// that open into holes) stays as a touch, because its ceiling still has to let the player over it.
    ///
    /// `optimistic`: a gap beside a moving floor (or a gap that moves) is bridged whatever the heights as the map starts,
    /// when it is narrower than the box or hopped over at most `hopAirLimit` in the air: the box's
    /// touches of the gap keep it from being a wall, and `maxRise` (24 less the fall) keeps the far floor within reach,
    /// both judged with the heights of the moment. MAP09's 16-wide strip beside a pillar a line raises, MAP29's 64-unit
    /// hop from a ledge a line lowers, E3M4's walkways a switch raises over lava.
    private func bridgingGaps(_ sectors: [Int], entered: [Double], enteredBy: [Int], direction: (Double, Double), leapSpeed: Double?,
                              optimistic: Bool = false)
        -> (sectors: [Int], touches: [NavigationGraph.Touch], ground: [(gap: Int, higher: Int)], maxRise: Double) {
        // How far along the walk the player's square box still overlaps a line after its centre crossed it: the box's
        // reach across the line (16 × (|nx| + |ny|)) over how steeply the walk crosses it (16 for a square crossing).
        func boxReach(_ line: Int) -> Double {
            let table = lineTable
            guard line >= 0, !table.ax[line].isNaN else { return Self.radius }
            let lx = table.bx[line] - table.ax[line], ly = table.by[line] - table.ay[line]
            let l = (lx * lx + ly * ly).squareRoot()
            guard l > 0 else { return Self.radius }
            let nx = -ly / l, ny = lx / l
            let across = abs(direction.0 * nx + direction.1 * ny)
            guard across > 0.2 else { return .infinity }
            return Self.radius * (abs(nx) + abs(ny)) / across
        }
        guard sectors.count >= 3 else { return (sectors, [], [], SectorHeights.stepHeight) }
        var maxRise = SectorHeights.stepHeight
        var result: [Int] = []
        result.reserveCapacity(sectors.count)
        result.append(sectors[0])
        var touches: [NavigationGraph.Touch] = []
        var ground: [(gap: Int, higher: Int)] = []   // a bridged gap → the sector whose floor the player stands on over it
        /// Bridges the gap sectors `sectors[k...j]` between `before` and `after`.
        func bridge(_ k: Int, _ j: Int, before: Int, after: Int) {
            for gap in sectors[k...j] where gap != before && gap != after {
                if movers[gap] {
                    touches += [NavigationGraph.Touch(near: before, far: gap), NavigationGraph.Touch(near: after, far: gap)]
                    continue
                }
                let higher = floors[before] >= floors[after] ? before : after
                if ceilings[gap] - floors[higher] < SectorHeights.playerHeight {
                    result.append(gap)
                } else {
                    ground.append((gap, higher))
                }
            }
        }
        var k = 1
        while k < sectors.count - 1 {
            defer { k += 1 }
            let gap = sectors[k], before = result[result.count - 1], after = sectors[k + 1]
            // Floors that move, not doors: a door's gap keeps its floor, and its ceiling is judged by the step rule anyway.
            if optimistic, gap != before, gap != after, floorMovers[gap] || floorMovers[before] || floorMovers[after] {
                let width = entered[k + 1] - entered[k]
                let airborne = width - boxReach(enteredBy[k]) - boxReach(enteredBy[k + 1])
                let fall = width <= 2 * Self.radius || airborne <= 0 ? 0 : Self.hopFall(airborne: airborne)
                if airborne <= Self.hopAirLimit {
                    touches += [NavigationGraph.Touch(near: before, far: gap), NavigationGraph.Touch(near: after, far: gap)]
                    maxRise = min(maxRise, SectorHeights.stepHeight - fall)
                    continue
                }
            }
            // Several sectors in a row, together no wider than the box and each lower than the floors on both sides
            // (MAP20's 16-wide lift beside a 2-wide strip and an 8-wide door's sill): the player stands on the higher
            // floors around them all, as over one gap.
            if k + 1 < sectors.count - 1, gap != before, floors[gap] < floors[before], floors[after] < floors[before],
               !(floors[gap] < floors[after]) {
                var j = k + 1, deepest = max(floors[gap], floors[after])
                while j + 1 < sectors.count - 1, floors[sectors[j + 1]] < floors[before] {
                    j += 1
                    deepest = max(deepest, floors[sectors[j]])
                }
                let beyond = sectors[j + 1]
                if deepest < floors[beyond], entered[j + 1] - entered[k] <= 2 * Self.radius {
                    bridge(k, j, before: before, after: beyond)
                    k = j
                    continue
                }
            }
            // A pit sector that moves is leapt over only when its floor moves and stays under the take-off floor at
            // every height it takes; the box's touches of it are judged with the heights of the moment (`bridge`).
            func leapable(_ pit: Int) -> Bool {
                (!movers[pit] || floorMovers[pit]) && floorRanges[pit].high < floors[before]
            }
            if let leapSpeed, gap != before, leapable(gap), !floorMovers[before] {
                // A pit of one or more sectors, each lower than the floors on both sides, crossed in the air.
                var j = k
                while j + 1 < sectors.count - 1, leapable(sectors[j + 1]) { j += 1 }
                let landing = sectors[j + 1]
                let deepest = sectors[k...j].map { floorRanges[$0].high }.max() ?? floorRanges[gap].high
                let airborne = entered[j + 1] - entered[k] - boxReach(enteredBy[k]) - boxReach(enteredBy[j + 1])
                if !floorMovers[landing], deepest < floors[landing], airborne > 0,
                   Self.leapFall(airborne: airborne, speed: leapSpeed) <= floors[before] - floors[landing] + SectorHeights.stepHeight - Self.leapMargin {
                    bridge(k, j, before: before, after: landing)
                    k = j
                    continue
                }
            }
            let width = entered[k + 1] - entered[k]
            let lower = gap != before && floors[gap] < min(floors[before], floors[after])
            // A little wider than the box, the player still crosses it moving: Doom lets it fall only after its box
            // has left the floor behind, by 2, then 5 units in the next tics, so a stride of up to `hop` over the
            // gap lands with a step of at most 8 more than the floors' difference. The gap must not move; the floors
            // on either side may (MAP21's lift pillars over nukage): the walk is judged on their heights as the map
            // starts, and the edge's step rule on the heights of the moment.
            let airborne = width - boxReach(enteredBy[k]) - boxReach(enteredBy[k + 1])
            let hopped = lower && width > 2 * Self.radius && airborne <= Self.hop
                && !movers[gap]
                && abs(floors[after] - floors[before]) <= SectorHeights.stepHeight - Self.fall(airborne: airborne)
            // Crossed at a slant (past a corner where four sectors meet, E3M7's spiral of pillars), a gap wider than the
            // box may still never hold all of it: the box leaves the floor behind only as it reaches the floor ahead, and
            // the player never falls. It is crossed as a narrow gap, moving or not.
            let slanted = airborne <= 0
            let isGap = lower && (width <= 2 * Self.radius || slanted || hopped)
            if isGap {
                bridge(k, k, before: before, after: after)
            } else if gap != before {
                result.append(gap)
            }
        }
        if sectors[sectors.count - 1] != result[result.count - 1] { result.append(sectors[sectors.count - 1]) }
        return (result, touches, ground, maxRise)
    }

    /// False when some step of the walk can never be taken in either direction: neither sector ever moves and
    /// the heights forbid it both ways (a wall-high ledge, a gap too low).
    private func isEverWalkable(_ sectors: [Int]) -> Bool {
        func allows(_ a: Int, _ b: Int) -> Bool {
            SectorHeights.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b])
        }
        if sectors.count == 1 { return movers[sectors[0]] || ceilings[sectors[0]] - floors[sectors[0]] >= SectorHeights.playerHeight }
        for k in 0..<(sectors.count - 1) {
            let a = sectors[k], b = sectors[k + 1]
            if movers[a] || movers[b] { continue }
            if !allows(a, b) && !allows(b, a) { return false }
        }
        return true
    }
}
