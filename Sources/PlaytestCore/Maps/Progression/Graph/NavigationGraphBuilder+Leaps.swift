/// Running leaps over pits: E3M7's way back into its hub is a leap from a balcony (floor 0) over 384 units of lava to a
/// bridge 256 below. Walking, the player falls into the pit; at a straferun it lands on the far side. A leap is an edge
/// from a run-up node behind the ledge to a node beyond the pit, taken one way, straight, from a standing start.
///
/// Measured in VizDoom (E3M7, god mode): a straferun (forward and strafe with speed, facing 38.66° off the way)
/// reaches 16 units a tic within 130 units of a standing start (19.3 at full speed); in the air it keeps its speed
/// and falls 2, 5, 9, 14… units (n(n+3)/2 after n tics). It lands when its box reaches the far floor no more than
/// a step (24) below it: from E3M7's balcony, at 252 below the take-off floor, on a floor 256 below.
extension NavigationGraphBuilder {
    /// The speed a leap is planned with (units a tic), and the straight run-up it needs from a standing start.
    static let leapSpeed = 16.0
    static let runway = 144.0
    /// Shorter run-ups, tried in turn where the full one does not fit (a pad 120 wide): slower, so only narrow pits.
    static let shortRunways = [96.0, 64.0, 40.0, 24.0]
    /// A longer run-up, tried only where the full one does not make the leap: faster (19.1 by the model below; VizDoom
    /// measured 18.5 after 250 units and 20.6 after 500 on MAP17's slime stairs, whose top leaps 226 units onto a
    /// ledge 48 lower that the 144-unit run-up's 16 units a tic misses by a tic).
    static let longRunway = 288.0
    /// A straferun's full speed, as measured (the speed a long run-up is capped at).
    static let fullSpeed = 19.3
    /// Farthest apart a leap's ledges may lie (a pit 480 wide already means a fall of 405).
    static let leapReach = 480.0
    /// Kept under the step the landing allows, for a run that is a little slower or wider than planned.
    static let leapMargin = 4.0
    /// Leaps kept per pair of take-off and landing places (the shortest).
    static let leapsPerPlacePair = 2
    /// Leaps tried per pair of ledges (the shortest): each adds a run-up node to the graph.
    static let leapCandidatesPerLedgePair = 2

    /// How far the player has fallen when its box reaches the far floor after `airborne` units in the air: the
    /// move that lands starts from the height of the tic before.
    static func leapFall(airborne: Double, speed: Double = leapSpeed) -> Double {
        let moves = (airborne / speed).rounded(.up)
        return (moves - 1) * (moves + 2) / 2
    }

    /// The speed a straferun reaches over `runway` units from a standing start: Doom adds 2 units a tic of thrust
    /// (forward 50 and strafe 40 with speed) and keeps 0.90625 of the speed each tic on the ground, which reaches 16
    /// at 144 units, as measured (`leapSpeed`, the most a run-up that long or shorter is counted on), 19.1 at
    /// `longRunway` (at most `fullSpeed`).
    static func leapSpeed(runway: Double) -> Double {
        guard runway != Self.runway else { return leapSpeed }
        var speed = 0.0, run = 0.0
        while run < runway {
            speed = speed * 0.90625 + 2
            run += speed
        }
        return min(speed, runway > Self.runway ? Self.fullSpeed : leapSpeed)
    }

    /// The speed at which a leap leaves the ledge: a short run-up goes on gaining speed past the take-off node, to the
    /// ledge (`portalOffset`) and until the box leaves it (`radius`): MAP13's pillar, 96 across, is left at 14.8 units
    /// a tic from its 64-unit run-up, not 12.5.
    static func takeoffSpeed(runway: Double) -> Double {
        runway >= Self.runway ? leapSpeed(runway: runway) : leapSpeed(runway: min(runway + portalOffset + radius, Self.runway))
    }

    /// The leaps possible: over each pit (fixed sectors the player walks between, more than a step below a neighbour
    /// whose floor never moves), from a node beside one of its ledges to a node beside another across the pit, within
    /// `leapReach`, where the fall over the shortest airborne stretch lands within a step. The run-up node lies
    /// `runway` (or a shorter run-up, at the speed it reaches) behind the take-off node, on the same line; `walk` must
    /// find the way possible as a leap only. Call before the graph is connected (the run-up nodes need walks to them).
    mutating func possibleLeaps(portals: [Int: [Int]]) -> [NavigationGraph.Edge] {
        let map = model.map
        // Per pit sector, its ledges: (line, the higher sector, the pit sector).
        var ledges: [Int: [(line: Int, high: Int, pit: Int)]] = [:]
        var pitLines: [(Int, Int)] = []   // lines between two fixed sectors within a step of each other
        for (index, line) in map.linedefs.enumerated() where !isWall[index] && model.lineEnds[index] != nil {
            // The ledge's floor stays (its ceiling may move: MAP19's crushing pillars). The pit never moves, or its floor
            // moves and stays more than a step under the ledge at every height it takes (E2M4's room at -64, which
            // the walk-over line on its far ledge lowers to -128, is leapt from the ledge at 64 onto the strip at 0).
            guard let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide),
                  front != back else { continue }
            func isPit(_ pit: Int, below high: Int) -> Bool {
                !floorMovers[high] && (!movers[pit] || floorMovers[pit])
                    && floors[high] - floorRanges[pit].high > SectorHeights.stepHeight
            }
            if isPit(back, below: front) { ledges[back, default: []].append((index, front, back)) }
            if isPit(front, below: back) { ledges[front, default: []].append((index, back, front)) }
            if abs(floors[front] - floors[back]) <= SectorHeights.stepHeight, !movers[front], !movers[back] { pitLines.append((front, back)) }
        }
        // A pit of several sectors the player walks between (MAP19's nukage, two sectors under six pillars and two
        // ledges) is one pit: its ledges are leapt between whichever of its sectors they face.
        var pits = NodeUnion(count: map.sectors.count)
        for (a, b) in pitLines where ledges[a] != nil && ledges[b] != nil { pits.join(a, b) }
        let pitGroup = (0..<map.sectors.count).map { pits.root($0) }
        // Pits side by side at different depths are leapt over together (MAP13's nukage strip at -96 beside its
        // courtyard at -32, from a ledge at 160 onto a pillar at 96): their ledges are paired as one pit's, while a
        // run-up need only keep out of its take-off's own pit (MAP26's pads are a pit of their rims as well as the
        // ledges of the pool).
        var beside = pits
        for (pit, list) in ledges { for ledge in list where ledges[ledge.high] != nil { beside.join(pit, ledge.high) } }
        var grouped: [Int: [(line: Int, high: Int, pit: Int)]] = [:]
        for pit in ledges.keys.sorted() { grouped[beside.root(pit), default: []] += ledges[pit] ?? [] }
        ledges = grouped
        var nodesByLedge: [Int: [Int]] = [:]
        func ledgeNodes(_ line: Int, pit: Int, portals: [Int: [Int]]) -> [Int] {
            if let known = nodesByLedge[line] { return known }
            let found = nodesBeside(ledge: line, pit: pit, portals: portals)
            nodesByLedge[line] = found
            return found
        }
        // Per pair of ledges of a pit, the shortest few (take-off node, landing node, run-up points to try).
        var shortest: [[Int]: [(length: Double, from: Int, to: Int, runUps: [(point: MapPoint, sector: Int, runway: Double)])]] = [:]
        for group in ledges.keys.sorted() {
            guard let edges = ledges[group] else { continue }
            for takeoff in edges {
                for landing in edges where landing.line != takeoff.line {
                    guard let (a, b) = model.lineEnds[takeoff.line], let (c, d) = model.lineEnds[landing.line] else { continue }
                    let apart = NavGeometry.distance(a, b, c, d)
                    guard apart <= Self.leapReach,
                          Self.leapFall(airborne: apart - 2 * Self.radius, speed: Self.leapSpeed(runway: Self.longRunway))
                            <= floors[takeoff.high] - floors[landing.high] + SectorHeights.stepHeight
                    else { continue }
                    let key = [group, takeoff.line, landing.line]
                    let towardLanding = pitSide(of: takeoff.line, pit: takeoff.pit)
                    let towardTakeoff = pitSide(of: landing.line, pit: landing.pit)
                    for from in ledgeNodes(takeoff.line, pit: takeoff.pit, portals: portals)
                        where NavGeometry.side(nodes[from].point, c, d) == towardTakeoff {
                        for to in ledgeNodes(landing.line, pit: landing.pit, portals: portals)
                            where NavGeometry.side(nodes[to].point, a, b) == towardLanding {
                            let dx = nodes[to].x - nodes[from].x, dy = nodes[to].y - nodes[from].y
                            let length = (dx * dx + dy * dy).squareRoot()
                            guard length > 0, length <= Self.leapReach + 2 * Self.portalOffset,
                                  shortest[key, default: []].count < Self.leapCandidatesPerLedgePair
                                    || length < shortest[key, default: []].last!.length else { continue }
                            let runUps = ([Self.runway, Self.longRunway] + Self.shortRunways).compactMap { runway -> (MapPoint, Int, Double)? in
                                let runUp = MapPoint(x: nodes[from].x - dx / length * runway, y: nodes[from].y - dy / length * runway)
                                guard let sector = model.geometry.sector(at: runUp), pitGroup[sector] != pitGroup[takeoff.pit], isClear(runUp)
                                else { return nil }
                                return (runUp, sector, runway)
                            }
                            guard !runUps.isEmpty else { continue }
                            var list = shortest[key, default: []]
                            list.append((length, from, to, runUps))
                            list.sort { $0.length < $1.length }
                            shortest[key] = Array(list.prefix(Self.leapCandidatesPerLedgePair))
                        }
                    }
                }
            }
        }
        var found: [NavigationGraph.Edge] = []
        for key in shortest.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for candidate in shortest[key] ?? [] {
                // The longest run-up that makes the leap (the fastest), else none.
                for runUp in candidate.runUps {
                    let count = nodes.count
                    let from = addNode(at: runUp.point, sector: runUp.sector, kind: .inner)
                    let p = nodes[from].point, q = nodes[candidate.to].point
                    let length = ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot()
                    // A leap only from a run-up the player can run along, and where it crosses a pit that walking falls into.
                    if runsUp(from: from, to: candidate.from),
                       var edge = walk(from: from, to: candidate.to, length: length, leapSpeed: Self.takeoffSpeed(runway: runUp.runway)),
                       climbs(edge.sectors), walk(from: from, to: candidate.to, length: length)?.sectors != edge.sectors {
                        edge.directions = 1
                        edge.leap = true
                        found.append(edge)
                        break
                    } else if nodes.count > count {
                        removeLastNode()   // a run-up node for nothing
                    }
                }
            }
        }
        return found
    }

    /// Where a leap over a ledge starts or lands: the line's portal nodes off the pit; where the high side is too thin
    /// to hold one (MAP26's start: pads 120 wide in 4-wide rims, 64 apart over a pool 41 below), the nodes within
    /// `portalOffset` + 8 of the line on its high side, whatever sector they stand in (`walk` judges the heights).
    private func nodesBeside(ledge line: Int, pit: Int, portals: [Int: [Int]]) -> [Int] {
        let beside = (portals[line] ?? []).filter { nodes[$0].sector != pit }
        guard beside.isEmpty, let (a, b) = model.lineEnds[line] else { return beside }
        let pitSide = pitSide(of: line, pit: pit)
        let reach = Self.portalOffset + 8
        let low = NodeCells.cell(of: MapPoint(x: min(a.x, b.x) - reach, y: min(a.y, b.y) - reach))
        let high = NodeCells.cell(of: MapPoint(x: max(a.x, b.x) + reach, y: max(a.y, b.y) + reach))
        var found: [Int] = []
        for cx in low.x...high.x {
            for cy in low.y...high.y {
                for node in nodeCells[cx, cy] where nodes[node].sector != pit {
                    let p = nodes[node].point
                    if NavGeometry.side(p, a, b) == -pitSide, NavGeometry.distance(p, a, b) <= reach { found.append(node) }
                }
            }
        }
        return found.sorted()
    }

    /// Whether the straight run from the run-up node to the take-off node can be run: no fixed step up over 24 or
    /// too low (a sector that moves, E3M7's door behind the balcony, is judged with the leap's heights of the moment).
    private mutating func runsUp(from runUp: Int, to takeoff: Int) -> Bool {
        let p = nodes[runUp].point, q = nodes[takeoff].point
        let length = ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot()
        guard length > 0 else { return true }
        guard let run = walk(from: runUp, to: takeoff, length: length) else { return false }
        return climbs(run.sectors)
    }

    /// Whether every step between fixed sectors along the way is allowed forward (no step up over 24, headroom).
    private func climbs(_ sectors: [Int]) -> Bool {
        zip(sectors, sectors.dropFirst()).allSatisfy { a, b in
            movers[a] || movers[b]
                || SectorHeights.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b])
        }
    }

    /// The side of a ledge line the pit lies on (`NavGeometry.side`'s sign).
    private func pitSide(of line: Int, pit: Int) -> Double {
        model.map.sector(ofSide: model.map.linedefs[line].frontSide) == pit ? 1 : -1
    }

    /// The leaps among `found` between nodes that fixed two-way walks do not join already: the shortest few per pair of
    /// places (nodes fixed two-way walks join) the leap starts and ends in.
    func leaps(_ found: [NavigationGraph.Edge], walkable: inout NodeUnion) -> [NavigationGraph.Edge] {
        var kept: [NavigationGraph.Edge] = []
        var perPair: [[Int]: Int] = [:]
        var ends = Set<[Int]>()   // a run-up node shared by two pairs of ledges finds the same leap twice
        for edge in found.sorted(by: { ($0.length, $0.a, $0.b) < ($1.length, $1.a, $1.b) }) {
            let key = [walkable.root(edge.a), walkable.root(edge.b)]
            guard key[0] != key[1], perPair[key, default: 0] < Self.leapsPerPlacePair, ends.insert([edge.a, edge.b]).inserted
            else { continue }
            perPair[key, default: 0] += 1
            kept.append(edge)
        }
        return kept
    }
}
