/// What the planner and the graph builder both need to know about a map at one skill: every line's action,
/// which sectors move and by which lines, sector neighbours, the things present, and the map's boss actions.
final class ProgressionModel: Sendable {
    let map: DoomMap
    let geometry: MapGeometry
    let skill: Int
    /// One entry per linedef (nil: no special).
    let actions: [LineAction?]
    let lineEnds: [(MapPoint, MapPoint)?]
    let sectorsByTag: [Int: [Int]]
    /// Sectors sharing a two-sided line with each sector.
    let neighbours: [[Int]]
    /// Per sector, whether some player action or boss action may move its floor or ceiling.
    let movers: [Bool]
    /// Per sector, whether its floor may move (a crusher's or a door's sector keeps its floor).
    let floorMovers: [Bool]
    /// Indices of the things spawned in single player at this skill.
    let things: [Int]
    let bossActions: [BossAction]
    /// Sectors with a monster-only teleporter on their edge: monsters there come out to the player.
    let monsterTeleportSectors: Set<Int>

    init(map: DoomMap, geometry: MapGeometry, skill: Int) {
        self.map = map
        self.geometry = geometry
        self.skill = skill
        let actions = map.linedefs.map { LineActions.action(of: $0, in: map) }
        self.actions = actions
        lineEnds = map.linedefs.indices.map(map.lineEnds)
        let byTag = Self.sectorsByTag(map)
        sectorsByTag = byTag
        var neighbourSets = [Set<Int>](repeating: [], count: map.sectors.count)
        for line in map.linedefs {
            guard let front = map.sector(ofSide: line.frontSide), let back = map.sector(ofSide: line.backSide), front != back else { continue }
            neighbourSets[front].insert(back)
            neighbourSets[back].insert(front)
        }
        neighbours = neighbourSets.map { $0.sorted() }
        things = map.things.indices.filter { SkillFilter.spawns(flags: map.things[$0].flags, skill: skill, format: map.format) }
        bossActions = BossAction.actions(for: map, things: things)
        var movers = [Bool](repeating: false, count: map.sectors.count)
        var floorMovers = movers
        for (index, action) in actions.enumerated() {
            guard let action, action.byPlayer, action.effect.movesSectors else { continue }
            let targets = Self.targets(of: action, line: map.linedefs[index], map: map, byTag: byTag)
            for sector in Self.moved(by: action, targets: targets, map: map, neighbours: neighbours) {
                movers[sector] = true
                if action.effect.movesFloor { floorMovers[sector] = true }
            }
        }
        for boss in bossActions {
            guard case .sectors(let tag, _) = boss.outcome else { continue }
            for sector in byTag[tag] ?? [] {
                movers[sector] = true
                floorMovers[sector] = true
            }
        }
        self.movers = movers
        self.floorMovers = floorMovers
        var teleporting = Set<Int>()
        for (index, action) in actions.enumerated() {
            guard let action, !action.byPlayer, case .teleport = action.effect else { continue }
            for side in [map.linedefs[index].frontSide, map.linedefs[index].backSide] {
                if let sector = map.sector(ofSide: side) { teleporting.insert(sector) }
            }
        }
        monsterTeleportSectors = teleporting
    }

    /// The sectors a line's action moves.
    func targets(ofLine line: Int) -> [Int] {
        guard let action = actions[line] else { return [] }
        return Self.targets(of: action, line: map.linedefs[line], map: map, byTag: sectorsByTag)
    }

    /// The sectors a line's action moves, with the steps of its stairs and the rings of its donut.
    func sectorsMoved(byLine line: Int) -> [Int] {
        guard let action = actions[line] else { return [] }
        return Self.moved(by: action, targets: targets(ofLine: line), map: map, neighbours: neighbours)
    }

    private static func moved(by action: LineAction, targets: [Int], map: DoomMap, neighbours: [[Int]]) -> [Int] {
        switch action.effect {
        case .stairs: return targets + HeightEffects.stairChain(from: targets, map: map)
        case .donut: return targets + targets.flatMap { neighbours[$0] }
        default: return targets
        }
    }

    /// The sectors with each tag (tag 0 tags nothing).
    static func sectorsByTag(_ map: DoomMap) -> [Int: [Int]] {
        var byTag: [Int: [Int]] = [:]
        for (index, sector) in map.sectors.enumerated() where sector.tag != 0 { byTag[sector.tag, default: []].append(index) }
        return byTag
    }

    static func targets(of action: LineAction, line: Linedef, map: DoomMap, byTag: [Int: [Int]]) -> [Int] {
        switch action.target {
        case .tag(let tag): return byTag[tag] ?? []
        case .backSector: return map.sector(ofSide: line.backSide).map { [$0] } ?? []
        case .none: return []
        }
    }

    /// Where a teleport line sends the player: the destination thing's position, nil when it has none.
    func teleportDestination(ofLine index: Int) -> MapPoint? {
        guard let action = actions[index], case .teleport(let kind) = action.effect else { return nil }
        switch kind {
        case .sectorTag(let tag):
            // Doom (and ZDoom) look through the tagged sectors in order and take the first destination in the first
            // sector that holds one, not the first destination of the map in any of them (MAP19's tag 15 marks 8 sectors).
            var bySector: [Int: MapPoint] = [:]
            let sectors = Set(sectorsByTag[tag] ?? [])
            for thing in things where Self.isDestination(map.things[thing].type) {
                let position = map.things[thing].position
                if let sector = geometry.sector(at: position), sectors.contains(sector), bySector[sector] == nil { bySector[sector] = position }
            }
            return bySector.min { $0.key < $1.key }?.value
        case .thing(let tid, let sectorTag):
            let sectors = sectorTag == 0 ? nil : Set(sectorsByTag[sectorTag] ?? [])
            for thing in things where Self.isDestination(map.things[thing].type) && (tid == 0 || map.things[thing].tid == tid) {
                let position = map.things[thing].position
                if let sectors, !(geometry.sector(at: position).map(sectors.contains) ?? false) { continue }
                return position
            }
            return nil
        case .line(let id):
            guard id != 0, let target = map.linedefs.indices.first(where: { $0 != index && map.linedefs[$0].tag == id }),
                  let (a, b) = lineEnds[target] else { return nil }
            let mid = MapPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
            let (nx, ny) = NavGeometry.frontNormal(a, b)
            return MapPoint(x: mid.x - nx * 24, y: mid.y - ny * 24)   // out of the destination line's back side
        }
    }

    static func isDestination(_ type: Int) -> Bool { type == 14 || type == 9044 || type == 9043 }
}

extension SpecialEffect {
    /// Whether the effect moves a floor or a ceiling.
    var movesSectors: Bool {
        switch self {
        case .door, .floor, .ceiling, .lift, .stairs, .crusher, .elevator, .donut: return true
        case .teleport, .exit, .cosmetic, .script, .unknown: return false
        case .combined(let parts): return parts.contains { $0.movesSectors }
        }
    }

    /// Whether the effect may move its sectors' floors (doors, ceilings and crushers move only ceilings).
    var movesFloor: Bool {
        switch self {
        case .floor, .lift, .stairs, .elevator, .donut: return true
        case .door, .ceiling, .crusher, .teleport, .exit, .cosmetic, .script, .unknown: return false
        case .combined(let parts): return parts.contains { $0.movesFloor }
        }
    }
}
