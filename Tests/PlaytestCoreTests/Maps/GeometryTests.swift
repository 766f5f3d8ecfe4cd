import Testing
@testable import PlaytestCore

@Suite("Map geometry")
struct GeometryTests {
    /// A 512×512 room (sector 0) around a square at 192…320 that is either a solid pillar (void) or sector 1.
    static func roomAroundSquare(innerSector: Bool) -> DoomMap {
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        map.sectors.append(Sector(floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
        TestMaps.addRoom([(0, 0), (0, 512), (512, 512), (512, 0)], sector: 0, to: &map)
        if innerSector {
            map.sectors.append(Sector(floorHeight: 8, floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
            // Clockwise around the square: the front (right) side faces sector 1 inside, the back faces the room.
            let first = map.vertices.count
            for (x, y) in [(192.0, 192.0), (192.0, 320.0), (320.0, 320.0), (320.0, 192.0)] { map.vertices.append(Vertex(x: x, y: y)) }
            for index in 0..<4 {
                map.sidedefs.append(Sidedef(lowerTexture: TestMaps.wallTexture, sector: 1))
                map.sidedefs.append(Sidedef(lowerTexture: TestMaps.wallTexture, sector: 0))
                map.linedefs.append(Linedef(start: first + index, end: first + (index + 1) % 4, flags: Linedef.twoSidedFlag,
                                            frontSide: map.sidedefs.count - 2, backSide: map.sidedefs.count - 1))
            }
        } else {
            // Counter-clockwise around the pillar: the front (right) side faces outwards, into the room.
            TestMaps.addRoom([(192, 192), (320, 192), (320, 320), (192, 320)], sector: 0, to: &map)
        }
        map.things.append(Thing(x: 64, y: 64, type: 1))
        return map
    }

    @Test("A pillar is a hole: the sector has one outer loop and one hole, area excludes it")
    func pillarHole() {
        let geometry = MapGeometry(Self.roomAroundSquare(innerSector: false))
        let polygon = geometry.sectorPolygons[0]
        #expect(polygon.isClosed)
        #expect(polygon.loops.count == 2)
        #expect(polygon.loops.filter(\.isHole).count == 1)
        #expect(polygon.area == 512 * 512 - 128 * 128)
        #expect(geometry.area == 512 * 512 - 128 * 128)
        #expect(geometry.bounds == MapBounds(minX: 0, minY: 0, maxX: 512, maxY: 512))
        #expect(geometry.sector(at: MapPoint(x: 100, y: 100)) == 0)
        #expect(geometry.sector(at: MapPoint(x: 256, y: 256)) == nil) // inside the pillar
        #expect(geometry.sector(at: MapPoint(x: -10, y: 256)) == nil) // west of the map
        #expect(geometry.sector(at: MapPoint(x: 600, y: 256)) == nil) // east of the map
        #expect(geometry.sector(at: MapPoint(x: 256, y: 600)) == nil)
    }

    @Test("A sector inside another: the outer one gets a hole, lookups find the inner one")
    func nestedSector() {
        let geometry = MapGeometry(Self.roomAroundSquare(innerSector: true))
        #expect(geometry.sectorPolygons[0].area == 512 * 512 - 128 * 128)
        #expect(geometry.sectorPolygons[1].area == 128 * 128)
        #expect(geometry.sectorPolygons[1].loops.count == 1 && !geometry.sectorPolygons[1].loops[0].isHole)
        #expect(geometry.area == 512 * 512)
        #expect(geometry.sector(at: MapPoint(x: 256, y: 256)) == 1)
        #expect(geometry.sector(at: MapPoint(x: 191, y: 256)) == 0)
        #expect(geometry.sector(at: MapPoint(x: 321, y: 256)) == 0)
        // An 8-unit step is walkable, so both sectors are reachable from the start.
        #expect(geometry.reachableSectors() == [0, 1])
    }

    @Test("A sector made of two separate rooms has two outer loops")
    func twoLoops() {
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [Sector()])
        TestMaps.addRoom([(0, 0), (0, 100), (100, 100), (100, 0)], sector: 0, to: &map)
        TestMaps.addRoom([(200, 0), (200, 50), (300, 50), (300, 0)], sector: 0, to: &map)
        let polygon = MapGeometry(map).sectorPolygons[0]
        #expect(polygon.loops.count == 2 && polygon.loops.allSatisfy { !$0.isHole })
        #expect(polygon.area == 100 * 100 + 100 * 50)
    }

    @Test("Rooms of one sector touching at a corner trace as separate loops")
    func sharedCorner() {
        // Two 100×100 rooms and a 50×50 room all meeting at the origin, one sector.
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [Sector()])
        TestMaps.addRoom([(0, 0), (0, 100), (100, 100), (100, 0)], sector: 0, to: &map)
        TestMaps.addRoom([(0, 0), (0, -100), (-100, -100), (-100, 0)], sector: 0, to: &map)
        TestMaps.addRoom([(0, 0), (-50, 0), (-50, 50), (0, 50)], sector: 0, to: &map)
        let polygon = MapGeometry(map).sectorPolygons[0]
        #expect(polygon.isClosed)
        #expect(polygon.loops.count == 3 && polygon.loops.allSatisfy { !$0.isHole && $0.points.count == 4 })
        #expect(polygon.area == 100 * 100 * 2 + 50 * 50)
    }

    @Test("A missing wall leaves the sector unclosed, with the gap's end points")
    func unclosed() {
        var map = TestMaps.cleanRoom()
        map.linedefs.remove(at: 1)
        let polygon = MapGeometry(map).sectorPolygons[0]
        #expect(!polygon.isClosed)
        #expect(Set(polygon.unclosedVertices) == [MapPoint(x: 0, y: 512), MapPoint(x: 512, y: 512)])
        #expect(polygon.openChains.count == 1)
    }

    @Test("Reachability follows step height, the opening, doors and blocking lines", arguments: [
        (16.0, 128.0, 0, 0, 2), // a 16-unit step up is walkable
        (32.0, 128.0, 0, 0, 1), // 32 is too high
        (0.0, 40.0, 0, 0, 1), // a 40-unit opening is too low for the player
        (0.0, 0.0, 1, 0, 2), // a closed door (ceiling = floor) with a door special opens
        (0.0, 128.0, 0, Linedef.blockingFlag, 1), // an impassable line blocks
    ])
    func reachability(eastFloor: Double, eastCeiling: Double, special: Int, extraFlags: Int, expected: Int) {
        var map = TestMaps.twoRooms(eastFloor: eastFloor, eastCeiling: eastCeiling)
        map.linedefs[6].special = special
        map.linedefs[6].flags |= extraFlags
        #expect(MapGeometry(map).reachableSectors().count == expected)
    }

    @Test("A teleporter leads to the sector holding its destination")
    func teleport() {
        var map = TestMaps.twoRooms(eastFloor: 64)
        map.linedefs[1].special = 97 // WR Teleport, on the west room's north wall
        map.linedefs[1].tag = 5
        map.sectors[1].tag = 5
        map.things.append(Thing(x: 384, y: 128, type: 14))
        #expect(MapGeometry(map).reachableSectors() == [0, 1])
    }

    @Test("Starts, thing classes and exits")
    func thingsAndStarts() {
        var map = TestMaps.cleanRoom()
        map.things += [Thing(x: 10, y: 10, type: 2), Thing(x: 20, y: 20, type: 11), Thing(x: 30, y: 30, type: 5),
                       Thing(x: 40, y: 40, type: 2001), Thing(x: 50, y: 50, type: 2008), Thing(x: 60, y: 60, type: 2019),
                       Thing(x: 70, y: 70, type: 1)]
        let geometry = MapGeometry(map)
        #expect(geometry.playerStarts.map(\.player) == [1, 2])
        #expect(geometry.playerStarts[0].thing == 0) // the first player 1 start wins
        #expect(geometry.deathmatchStarts == [4])
        let counts = geometry.thingCounts
        #expect(counts[.playerStart] == 3 && counts[.deathmatchStart] == 1 && counts[.monster] == 1 && counts[.key] == 1)
        #expect(counts[.weapon] == 1 && counts[.ammo] == 1 && counts[.armor] == 1 && counts[.health] == 1)
        #expect(geometry.exitLines == [2])
        #expect(ThingCatalog.category(of: 3005) == .monster && ThingCatalog.category(of: 38) == .key)
        #expect(ThingCatalog.category(of: 12345) == .other)
    }

    @Test("Point-in-sector at the height of a vertex where two lines meet takes the line nearer just above it (MAP21's lava stream)")
    func rayThroughAVertex() {
        // A room (sector 0) with a triangle (sector 1) standing on its lowest corner V = (256, 256): a ray east from
        // (100, 256) meets both lines from V at once. The line listed first (B → V) is the farther one just above V.
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        map.sectors.append(Sector(floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
        map.sectors.append(Sector(floorHeight: 8, floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
        TestMaps.addRoom([(0, 0), (0, 512), (512, 512), (512, 0)], sector: 0, to: &map)
        let first = map.vertices.count
        for (x, y) in [(350.0, 400.0), (256.0, 256.0), (200.0, 400.0)] { map.vertices.append(Vertex(x: x, y: y)) }
        for (start, end) in [(0, 1), (1, 2), (2, 0)] {   // B → V, V → A, A → B: clockwise, sector 1 on the right
            map.sidedefs.append(Sidedef(lowerTexture: TestMaps.wallTexture, sector: 1))
            map.sidedefs.append(Sidedef(lowerTexture: TestMaps.wallTexture, sector: 0))
            map.linedefs.append(Linedef(start: first + start, end: first + end, flags: Linedef.twoSidedFlag,
                                        frontSide: map.sidedefs.count - 2, backSide: map.sidedefs.count - 1))
        }
        let locator = SectorLocator(map: map)
        #expect(locator.sector(at: MapPoint(x: 100, y: 256)) == 0)
        #expect(locator.sector(at: MapPoint(x: 256, y: 300)) == 1)
        #expect(locator.sector(at: MapPoint(x: 100, y: 300)) == 0)
    }

    @Test("Point-in-sector is exact along long diagonal walls that cross many grid cells")
    func diagonalWalls() {
        // A diamond |x| + |y| <= 8192 around the origin, walls clockwise so the room is on their right.
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [Sector()])
        TestMaps.addRoom([(-8192, 0), (0, 8192), (8192, 0), (0, -8192)], sector: 0, to: &map)
        let geometry = MapGeometry(map)
        #expect(geometry.area == 2 * 8192 * 8192)
        var generator = SeededMapRandom(seed: 11)
        for _ in 0..<20_000 {
            let x = Double.random(in: -9000...9000, using: &generator), y = Double.random(in: -9000...9000, using: &generator)
            let distance = abs(x) + abs(y)
            guard abs(distance - 8192) > 0.01 else { continue }
            #expect(geometry.sector(at: MapPoint(x: x, y: y)) == (distance < 8192 ? 0 : nil), "(\(x), \(y))")
        }
    }

    @Test("Point-in-sector agrees with the traced sector polygons on freedoom2 MAP01",
          .enabled(if: RealWADs.freedoom2 != nil, "freedoom2.wad not installed"))
    func locatorAgreesWithPolygons() throws {
        let wad = try RealWADs.load(try #require(RealWADs.freedoom2))
        let geometry = MapGeometry(try MapParser.parse(wad: wad, mapNamed: "MAP01"))
        var generator = SeededMapRandom(seed: 7)
        var agree = 0, total = 0
        for _ in 0..<4000 {
            let point = MapPoint(x: Double.random(in: geometry.bounds.minX...geometry.bounds.maxX, using: &generator),
                                 y: Double.random(in: geometry.bounds.minY...geometry.bounds.maxY, using: &generator))
            let inside = geometry.sectorPolygons.filter { $0.isClosed && evenOdd(point, $0) }.map(\.sector)
            let found = geometry.sector(at: point)
            // Sectors nested in sectors overlap as polygons only through their holes, so a point is in at most one.
            guard inside.count <= 1 else { continue }
            total += 1
            if found == inside.first { agree += 1 }
        }
        #expect(total > 3000)
        #expect(Double(agree) / Double(total) > 0.99, "\(agree) of \(total)")
    }

    private func evenOdd(_ point: MapPoint, _ polygon: SectorPolygon) -> Bool {
        var inside = false
        for loop in polygon.loops {
            var previous = loop.points[loop.points.count - 1]
            for current in loop.points {
                if (current.y > point.y) != (previous.y > point.y),
                   point.x < (previous.x - current.x) * (point.y - current.y) / (previous.y - current.y) + current.x {
                    inside.toggle()
                }
                previous = current
            }
        }
        return inside
    }
}

/// A small seeded generator so tests are deterministic.
struct SeededMapRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
