@testable import PlaytestCore

/// Small hand-made maps for the geometry and analysis tests. Coordinates are Doom units, y up.
enum TestMaps {
    static let wallTexture = "STARTAN3"
    static let floorFlat = "FLOOR4_8"
    static let ceilingFlat = "CEIL3_5"
    static let resources = MapResources(textures: [wallTexture, "DOOR3", "SW1EXIT"], flats: [floorFlat, ceilingFlat])

    /// Adds a closed loop of one-sided walls around the given corners (clockwise keeps the sector on the right).
    static func addRoom(_ corners: [(Double, Double)], sector: Int, to map: inout DoomMap, texture: String = wallTexture) {
        let first = map.vertices.count
        for (x, y) in corners { map.vertices.append(Vertex(x: x, y: y)) }
        for index in corners.indices {
            map.sidedefs.append(Sidedef(middleTexture: texture, sector: sector))
            map.linedefs.append(Linedef(start: first + index, end: first + (index + 1) % corners.count,
                                        frontSide: map.sidedefs.count - 1))
        }
    }

    /// A clean map: a 512×512 room, player 1 start in the middle, an exit switch on the east wall.
    /// Every check stays silent on it.
    static func cleanRoom() -> DoomMap {
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        map.sectors.append(Sector(floorHeight: 0, ceilingHeight: 128, floorTexture: floorFlat, ceilingTexture: ceilingFlat))
        // Clockwise in y-up coordinates: west wall up, north wall east, east wall down, south wall west.
        addRoom([(0, 0), (0, 512), (512, 512), (512, 0)], sector: 0, to: &map)
        map.linedefs[2].special = 11 // east wall: exit switch
        map.things.append(Thing(x: 256, y: 256, angle: 90, type: 1))
        map.things.append(Thing(x: 128, y: 128, type: 3004))
        map.things.append(Thing(x: 400, y: 400, type: 2012))
        return map
    }

    /// Two rooms joined by a two-sided line: west room x 0…256, east room x 256…512, both 256 tall.
    /// The east room's floor is `eastFloor` high.
    static func twoRooms(eastFloor: Double = 0, eastCeiling: Double = 128) -> DoomMap {
        var map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        map.sectors = [
            Sector(floorHeight: 0, ceilingHeight: 128, floorTexture: floorFlat, ceilingTexture: ceilingFlat),
            Sector(floorHeight: eastFloor, ceilingHeight: eastCeiling, floorTexture: floorFlat, ceilingTexture: ceilingFlat),
        ]
        map.vertices = [
            Vertex(x: 0, y: 0), Vertex(x: 0, y: 256), Vertex(x: 256, y: 256), Vertex(x: 256, y: 0),
            Vertex(x: 512, y: 256), Vertex(x: 512, y: 0),
        ]
        func wall(_ a: Int, _ b: Int, _ sector: Int) {
            map.sidedefs.append(Sidedef(middleTexture: wallTexture, sector: sector))
            map.linedefs.append(Linedef(start: a, end: b, frontSide: map.sidedefs.count - 1))
        }
        wall(0, 1, 0); wall(1, 2, 0); wall(3, 0, 0)
        wall(2, 4, 1); wall(4, 5, 1); wall(5, 3, 1)
        // The shared line 2→3 runs south: its right (front) side faces west, the back faces east.
        map.sidedefs.append(Sidedef(upperTexture: wallTexture, lowerTexture: wallTexture, sector: 0))
        map.sidedefs.append(Sidedef(upperTexture: wallTexture, lowerTexture: wallTexture, sector: 1))
        map.linedefs.append(Linedef(start: 2, end: 3, flags: Linedef.twoSidedFlag, frontSide: map.sidedefs.count - 2,
                                    backSide: map.sidedefs.count - 1))
        map.linedefs[4].special = 11
        map.things.append(Thing(x: 128, y: 128, type: 1))
        return map
    }
}
