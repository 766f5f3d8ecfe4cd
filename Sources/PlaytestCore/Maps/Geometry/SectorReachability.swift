/// A static estimate of which sectors a player can walk to from the player starts.
///
/// It walks two-sided linedefs that are not marked blocking. A step from sector A to B is passable when
/// B's floor is at most 24 units above A's (the player's step height) and the opening (lowest ceiling
/// minus highest floor) is at least 56 units (the player's height). Lines with a door special, and
/// sectors tagged by any special (lifts, doors, crushers), count as passable, because they move.
/// Teleport lines lead to the sectors holding their destination. The runs measure the real thing.
public enum SectorReachability {
    public static let stepHeight = 24.0
    public static let playerHeight = 56.0

    /// Indices of the reachable sectors, sorted, starting from the given sectors.
    public static func reachableSectors(in map: DoomMap, from starts: [Int], locator: SectorLocator) -> [Int] {
        let count = map.sectors.count
        guard count > 0 else { return [] }
        let hexen = map.usesHexenSpecials
        var taggedByAction = Set<Int>()
        for line in map.linedefs where line.special != 0 && line.tag != 0 { taggedByAction.insert(line.tag) }
        var neighbours = [[Int]](repeating: [], count: count)
        for line in map.linedefs {
            let role = LineSpecials.role(of: line, in: map)
            let front = map.sector(ofSide: line.frontSide)
            let back = map.sector(ofSide: line.backSide)
            if role == .teleport {
                let targets = teleportTargets(of: line, in: map, hexen: hexen, locator: locator)
                for source in [front, back].compactMap({ $0 }) { neighbours[source].append(contentsOf: targets) }
            }
            guard let front, let back, !line.isBlocking || role == .door else { continue }
            let moving = role == .door || taggedByAction.contains(map.sectors[front].tag) && map.sectors[front].tag != 0
                || taggedByAction.contains(map.sectors[back].tag) && map.sectors[back].tag != 0
            if moving || passable(from: map.sectors[front], to: map.sectors[back]) { neighbours[front].append(back) }
            if moving || passable(from: map.sectors[back], to: map.sectors[front]) { neighbours[back].append(front) }
        }
        var visited = [Bool](repeating: false, count: count)
        var queue = starts.filter { $0 >= 0 && $0 < count }
        for start in queue { visited[start] = true }
        var head = 0
        while head < queue.count {
            let sector = queue[head]
            head += 1
            for next in neighbours[sector] where !visited[next] {
                visited[next] = true
                queue.append(next)
            }
        }
        return visited.indices.filter { visited[$0] }
    }

    static func passable(from: Sector, to: Sector) -> Bool {
        let opening = min(from.ceilingHeight, to.ceilingHeight) - max(from.floorHeight, to.floorHeight)
        return to.floorHeight - from.floorHeight <= stepHeight && opening >= playerHeight
    }

    /// Sectors holding the teleport destinations a teleport line sends the player to.
    private static func teleportTargets(of line: Linedef, in map: DoomMap, hexen: Bool, locator: SectorLocator) -> [Int] {
        var targets: [Int] = []
        for thing in map.things where thing.type == 14 || thing.type == 9044 {
            guard let sector = locator.sector(at: thing.position) else { continue }
            if hexen {
                // Teleport(tid, tag): the destination's tid, optionally restricted to a tagged sector.
                let tid = line.args.first ?? 0
                if tid == 0 || thing.tid == tid { targets.append(sector) }
            } else if line.tag != 0, map.sectors[sector].tag == line.tag {
                targets.append(sector)
            }
        }
        return targets
    }
}
