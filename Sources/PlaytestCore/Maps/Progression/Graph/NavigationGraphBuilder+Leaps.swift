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
    /// Farthest apart a leap's ledges may lie (a pit 480 wide already means a fall of 405).
    static let leapReach = 480.0
    /// Kept under the step the landing allows, for a run that is a little slower or wider than planned.
    static let leapMargin = 4.0
    /// Leaps kept per pair of take-off and landing sectors (the shortest).
    static let leapsPerSectorPair = 2
    /// Leaps tried per pit and pair of sectors (the shortest): each adds a run-up node to the graph.
    static let leapCandidatesPerPit = 16

    /// How far the player has fallen when its box reaches the far floor after `airborne` units in the air: the
    /// move that lands starts from the height of the tic before.
    static func leapFall(airborne: Double) -> Double {
        let moves = (airborne / leapSpeed).rounded(.up)
        return (moves - 1) * (moves + 2) / 2
    }

    /// The leaps possible: over each pit (a fixed sector more than a step below a
    /// fixed neighbour), from a portal node beside one ledge to a portal node beside another ledge of the same pit on
    /// another sector, within `leapReach`, where the fall over the shortest airborne stretch lands within a step. The
    /// run-up node lies `runway` behind the take-off node, on the same line; `walk` must find the way possible as a leap
    /// only. Call before the graph is connected (the run-up nodes need walks to them).
    mutating func possibleLeaps(portals: [Int: [Int]]) -> [NavigationGraph.Edge] {
        let map = model.map
        // Per pit sector, its ledges: (line, the higher sector).
        var ledges: [Int: [(line: Int, high: Int)]] = [:]
        for (index, line) in map.linedefs.enumerated() where !isWall[index] && model.lineEnds[index] != nil {
            guard let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide),
                  front != back, !movers[front], !movers[back] else { continue }
            if floors[front] - floors[back] > SectorHeights.stepHeight { ledges[back, default: []].append((index, front)) }
            if floors[back] - floors[front] > SectorHeights.stepHeight { ledges[front, default: []].append((index, back)) }
        }
        // Per pit and pair of sectors, the shortest few (take-off node, landing node, run-up point).
        var shortest: [[Int]: [(length: Double, to: Int, runUp: MapPoint, sector: Int)]] = [:]
        for pit in ledges.keys.sorted() {
            guard let edges = ledges[pit] else { continue }
            for takeoff in edges {
                for landing in edges where landing.high != takeoff.high {
                    guard let (a, b) = model.lineEnds[takeoff.line], let (c, d) = model.lineEnds[landing.line] else { continue }
                    let apart = NavGeometry.distance(a, b, c, d)
                    guard apart <= Self.leapReach,
                          Self.leapFall(airborne: apart - 2 * Self.radius) <= floors[takeoff.high] - floors[landing.high] + SectorHeights.stepHeight
                    else { continue }
                    let key = [pit, takeoff.high, landing.high]
                    for from in portals[takeoff.line] ?? [] where nodes[from].sector == takeoff.high {
                        for to in portals[landing.line] ?? [] where nodes[to].sector == landing.high {
                            let dx = nodes[to].x - nodes[from].x, dy = nodes[to].y - nodes[from].y
                            let length = (dx * dx + dy * dy).squareRoot()
                            guard length > 0, length <= Self.leapReach + 2 * Self.portalOffset,
                                  shortest[key, default: []].count < Self.leapCandidatesPerPit
                                    || length < shortest[key, default: []].last!.length else { continue }
                            let runUp = MapPoint(x: nodes[from].x - dx / length * Self.runway, y: nodes[from].y - dy / length * Self.runway)
                            guard let sector = model.geometry.sector(at: runUp), isClear(runUp) else { continue }
                            var list = shortest[key, default: []]
                            list.append((length, to, runUp, sector))
                            list.sort { $0.length < $1.length }
                            shortest[key] = Array(list.prefix(Self.leapCandidatesPerPit))
                        }
                    }
                }
            }
        }
        var found: [NavigationGraph.Edge] = []
        for key in shortest.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for candidate in shortest[key] ?? [] {
                let count = nodes.count
                let from = addNode(at: candidate.runUp, sector: candidate.sector, kind: .inner)
                let p = nodes[from].point, q = nodes[candidate.to].point
                let length = ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot()
                // A leap only where it crosses a pit that walking falls into.
                if var edge = walk(from: from, to: candidate.to, length: length, leap: true),
                   walk(from: from, to: candidate.to, length: length)?.sectors != edge.sectors {
                    edge.directions = 1
                    edge.leap = true
                    found.append(edge)
                } else if nodes.count > count {
                    removeLastNode()   // a run-up node for nothing
                }
            }
        }
        return found
    }

    /// The leaps among `found` between nodes that fixed two-way walks do not join already: the shortest few per pair of
    /// take-off and landing sectors.
    func leaps(_ found: [NavigationGraph.Edge], walkable: inout NodeUnion) -> [NavigationGraph.Edge] {
        // The shortest few per pair of sectors the leap starts and ends in.
        var kept: [NavigationGraph.Edge] = []
        var perPair: [[Int]: Int] = [:]
        for edge in found.sorted(by: { ($0.length, $0.a, $0.b) < ($1.length, $1.a, $1.b) })
            where walkable.root(edge.a) != walkable.root(edge.b) {
            let key = [edge.sectors.first!, edge.sectors.last!]
            guard perPair[key, default: 0] < Self.leapsPerSectorPair else { continue }
            perPair[key, default: 0] += 1
            kept.append(edge)
        }
        return kept
    }
}
