/// Geometry derived from a map: bounds, sector polygons and areas, point-in-sector, starts and reachability.
public struct MapGeometry: Sendable {
    public let map: DoomMap
    /// Bounds of all vertices (a zero rectangle at the origin for a map without vertices).
    public let bounds: MapBounds
    /// One polygon per sector, in sector order.
    public let sectorPolygons: [SectorPolygon]
    public let locator: SectorLocator

    public init(_ map: DoomMap) {
        self.map = map
        self.bounds = MapBounds(points: map.vertices.lazy.map(\.point).filter(\.isUsable)) ?? MapBounds(minX: 0, minY: 0, maxX: 0, maxY: 0)
        self.sectorPolygons = SectorPolygonTracer.trace(map)
        self.locator = SectorLocator(map: map)
    }

    /// Total area of all sectors, in square map units.
    public var area: Double { sectorPolygons.reduce(0) { $0 + $1.area } }

    /// The sector containing a point, or nil in the void.
    public func sector(at point: MapPoint) -> Int? { locator.sector(at: point) }

    /// The sectors a path passes through, in the order it first enters them.
    public func sectorsEntered(_ path: some Sequence<MapPoint>) -> [Int] {
        var seen = Set<Int>()
        return path.compactMap { point in locator.sector(at: point).flatMap { seen.insert($0).inserted ? $0 : nil } }
    }

    /// Player starts 1–4 in player order (the first thing of each number, as the engine uses).
    public var playerStarts: [(player: Int, thing: Int)] {
        var seen = Set<Int>()
        var starts: [(player: Int, thing: Int)] = []
        for (index, thing) in map.things.enumerated() {
            guard let player = ThingCatalog.playerNumber(of: thing.type), !seen.contains(player) else { continue }
            seen.insert(player)
            starts.append((player, index))
        }
        return starts.sorted { $0.player < $1.player }
    }

    /// Indices of the deathmatch start things.
    public var deathmatchStarts: [Int] {
        map.things.indices.filter { map.things[$0].type == 11 }
    }

    /// Things per category.
    public var thingCounts: [ThingCategory: Int] {
        var counts: [ThingCategory: Int] = [:]
        for thing in map.things { counts[ThingCatalog.category(of: thing.type), default: 0] += 1 }
        return counts
    }

    /// Indices of the linedefs whose special ends the level (normal or secret exit).
    public var exitLines: [Int] {
        map.linedefs.indices.filter {
            let role = LineSpecials.role(of: map.linedefs[$0], in: map)
            return role == .exit || role == .secretExit
        }
    }

    /// Sectors reachable from the player starts (from deathmatch starts when there is no player start).
    public func reachableSectors() -> [Int] {
        var startThings = playerStarts.map(\.thing)
        if startThings.isEmpty { startThings = deathmatchStarts }
        let starts = startThings.compactMap { locator.sector(at: map.things[$0].position) }
        return SectorReachability.reachableSectors(in: map, from: starts, locator: locator)
    }
}
