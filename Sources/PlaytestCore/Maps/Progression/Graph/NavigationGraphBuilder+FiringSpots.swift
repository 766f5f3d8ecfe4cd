/// Where a boss monster is shot from (a kill step's spots): nodes in sight of it from which Doom's autoaim reaches its
/// body through every opening on the way.
extension NavigationGraphBuilder {
    /// At most this many firing spots per boss, and per sector.
    static let firingNodesLimit = 48
    static let firingNodesPerSector = 3

    /// A boss monster's height (Doom's info tables): the part of it a shot may aim at.
    static func monsterHeight(_ type: Int) -> Double {
        switch type {
        case 16: return 110       // cyberdemon
        case 7: return 100        // spider mastermind
        case 72: return 72        // Commander Keen
        default: return 64        // barons, mancubi, arachnotrons
        }
    }

    /// Doom's autoaim reaches a target at most 100/160 units up or down per unit of distance (P_AimLineAttack).
    static let aimSlope = 100.0 / 160

    /// Where a boss monster is fought from: the nearest nodes within 1024 units with nothing between that stops a shot.
    mutating func firingNodes(for thing: Thing) -> [Int] {
        // The boss brain dies of a rocket's blast anywhere in its room (the blast reaches 128 units round, at any
        // height): the shot must only get into the room.
        var height = Self.monsterHeight(thing.type)
        if thing.type == 88, let sector = model.geometry.sector(at: thing.position) {
            height = model.map.sectors[sector].ceilingHeight - model.map.sectors[sector].floorHeight
        }
        return firingNodes(at: thing.position, height: height)
    }

    private mutating func firingNodes(at target: MapPoint, height: Double) -> [Int] {
        let targetSector = model.geometry.sector(at: target)
        let range = 1024.0
        let near = nodes.indices.filter {
            let dx = nodes[$0].x - target.x, dy = nodes[$0].y - target.y
            return dx * dx + dy * dy <= range * range
        }.sorted {
            let a = nodes[$0], b = nodes[$1]
            return (a.x - target.x) * (a.x - target.x) + (a.y - target.y) * (a.y - target.y)
                < (b.x - target.x) * (b.x - target.x) + (b.y - target.y) * (b.y - target.y)
        }
        // A few per sector, nearest first: the closest spots often lie in a pit or a ledge round the monster that the
        // player never stands on (MAP30's brain is seen from the raised lift, past the sectors round the wall's hole).
        var found: [Int] = []
        var perSector: [Int: Int] = [:]
        for node in near where found.count < Self.firingNodesLimit {
            let sector = nodes[node].sector
            guard perSector[sector, default: 0] < Self.firingNodesPerSector else { continue }
            if sight(from: nodes[node].point, to: target) != nil,
               canAim(from: node, at: target, sector: targetSector, height: height) {
                found.append(node)
                perSector[sector, default: 0] += 1
            }
        }
        return found
    }

    /// Whether a shot from the player (a rocket leaves 32 units over its floor) on the node can reach the monster
    /// standing in `sector` at `target` (its body, from its floor up `height`): within autoaim's slope and through the
    /// opening of every fixed line on the way. A floor that moves is tried at every height it passes (8 units apart):
    /// MAP30's brain is hit through a hole from a lift on its way up.
    private mutating func canAim(from node: Int, at target: MapPoint, sector: Int?, height: Double) -> Bool {
        guard let sector else { return false }
        let from = nodes[node]
        let model = self.model
        guard !model.movers[sector] else { return true }
        let map = model.map
        let bottom = map.sectors[sector].floorHeight, top = bottom + height
        let p = from.point
        let distance = ((target.x - p.x) * (target.x - p.x) + (target.y - p.y) * (target.y - p.y)).squareRoot()
        guard distance > 0 else { return true }
        var openings: [(distance: Double, floor: Double, ceiling: Double)] = []
        var moving = false
        let box = MapBounds(minX: min(p.x, target.x), minY: min(p.y, target.y), maxX: max(p.x, target.x), maxY: max(p.y, target.y))
        _ = lines.forEach(near: box) { line in
            guard let (a, b) = model.lineEnds[line], let t = NavGeometry.crossing(p, target, a, b), t > 0, t < 1,
                  let front = map.sector(ofSide: map.linedefs[line].frontSide),
                  let back = map.sector(ofSide: map.linedefs[line].backSide) else { return true }
            // The edge of the moving floor the player stands on rides with it.
            if model.movers[from.sector] && (front == from.sector || back == from.sector) { return true }
            if model.movers[front] || model.movers[back] { moving = true; return false }
            openings.append((t * distance, max(map.sectors[front].floorHeight, map.sectors[back].floorHeight),
                             min(map.sectors[front].ceilingHeight, map.sectors[back].ceilingHeight)))
            return true
        }
        if moving { return true }   // a door or a lift on the way: judged by the 2D sight alone
        let (lowest, highest) = floorRanges[from.sector]
        for floor in Array(stride(from: lowest, to: highest, by: 8)) + [highest] {
            let muzzle = floor + 32
            var low = max((bottom - muzzle) / distance, -Self.aimSlope), high = min((top - muzzle) / distance, Self.aimSlope)
            for opening in openings where low <= high {
                low = max(low, (opening.floor - muzzle) / opening.distance)
                high = min(high, (opening.ceiling - muzzle) / opening.distance)
            }
            if low <= high { return true }
        }
        return false
    }

    /// Per sector, the lowest and highest floor it may have: its own, and where each special that moves it sends it
    /// from the map's starting heights (a floor passes every height between). Computed once per graph.
    static func floorRanges(model: ProgressionModel) -> [(low: Double, high: Double)] {
        var ranges = model.map.sectors.map { (low: $0.floorHeight, high: $0.floorHeight) }
        let effects = HeightEffects(model: model)
        let heights = SectorHeights(map: model.map)
        for line in model.actions.indices {
            guard let action = model.actions[line], action.byPlayer else { continue }
            for sector in model.targets(ofLine: line) where model.movers[sector] {
                func add(_ effect: SpecialEffect) {
                    switch effect {
                    case .floor(let target), .elevator(let target):
                        let h = effects.resolve(target, sector: sector, ceiling: false, heights: heights)
                        ranges[sector] = (min(ranges[sector].low, h), max(ranges[sector].high, h))
                    case .lift(let visits):
                        for visit in visits {
                            let h = effects.resolve(visit, sector: sector, ceiling: false, heights: heights)
                            ranges[sector] = (min(ranges[sector].low, h), max(ranges[sector].high, h))
                        }
                    case .combined(let parts): parts.forEach(add)
                    default: break
                    }
                }
                add(action.effect)
            }
        }
        return ranges
    }
}
