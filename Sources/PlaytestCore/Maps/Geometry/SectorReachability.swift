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
        let destinations = TeleportDestinations(map: map, locator: locator)
        // Nodes 0..<count are sectors; after them, one node per group of teleport destinations.
        let groupKeys = Array(destinations.groups.keys)
        var groupNode: [TeleportDestinations.Key: Int] = [:]
        for (offset, key) in groupKeys.enumerated() { groupNode[key] = count + offset }
        var neighbours = [[Int]](repeating: [], count: count + groupKeys.count)
        for key in groupKeys {
            if let node = groupNode[key] { neighbours[node] = destinations.groups[key] ?? [] }
        }
        for line in map.linedefs {
            let role = LineSpecials.role(of: line, in: map)
            let front = map.sector(ofSide: line.frontSide)
            let back = map.sector(ofSide: line.backSide)
            if role == .teleport, let key = destinations.key(of: line, hexen: hexen), let node = groupNode[key] {
                for source in [front, back].compactMap({ $0 }) { neighbours[source].append(node) }
            }
            guard let front, let back, !line.isBlocking || role == .door else { continue }
            let moving = role == .door || taggedByAction.contains(map.sectors[front].tag) && map.sectors[front].tag != 0
                || taggedByAction.contains(map.sectors[back].tag) && map.sectors[back].tag != 0
            if moving || passable(from: map.sectors[front], to: map.sectors[back]) { neighbours[front].append(back) }
            if moving || passable(from: map.sectors[back], to: map.sectors[front]) { neighbours[back].append(front) }
        }
        var visited = [Bool](repeating: false, count: neighbours.count)
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
        return (0..<count).filter { visited[$0] }
    }

    static func passable(from: Sector, to: Sector) -> Bool {
        let opening = min(from.ceilingHeight, to.ceilingHeight) - max(from.floorHeight, to.floorHeight)
        return to.floorHeight - from.floorHeight <= stepHeight && opening >= playerHeight
    }

    /// Where teleport lines lead: the sectors holding teleport destinations, grouped by what selects them
    /// (a sector tag in Doom, a thing tid in Hexen, or any destination). Each group is one extra graph node,
    /// so many teleport lines to many destinations cost lines + destinations edges, not their product.
    private struct TeleportDestinations {
        enum Key: Hashable { case tag(Int), tid(Int), any }
        var groups: [Key: [Int]] = [:]

        init(map: DoomMap, locator: SectorLocator) {
            for thing in map.things where thing.type == 14 || thing.type == 9044 {
                guard let sector = locator.sector(at: thing.position) else { continue }
                groups[.tag(map.sectors[sector].tag), default: []].append(sector)
                groups[.tid(thing.tid), default: []].append(sector)
                groups[.any, default: []].append(sector)
            }
        }

        /// Doom: destinations in sectors with the line's tag. Hexen `Teleport(tid)`: the thing with that tid (any when 0).
        func key(of line: Linedef, hexen: Bool) -> Key? {
            if hexen {
                let tid = line.args.first ?? 0
                return tid == 0 ? .any : .tid(tid)
            }
            return line.tag == 0 ? nil : .tag(line.tag)
        }
    }
}
