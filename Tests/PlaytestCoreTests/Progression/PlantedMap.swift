@testable import PlaytestCore

/// Builds small Doom-format maps out of axis-aligned rectangular sectors, for the progression planner's tests.
/// Rectangles that share (part of) an edge are joined by two-sided lines; every other edge is a one-sided wall.
/// Coordinates are Doom units, y up; a line's front side is on its right (a room's walls run clockwise).
struct PlantedMap {
    struct Room {
        var minX: Double, minY: Double, maxX: Double, maxY: Double
        var floor: Double, ceiling: Double, tag: Int
    }

    enum Side { case north, south, east, west }

    private(set) var rooms: [Room] = []
    var things: [Thing] = []
    /// Specials set on lines once the geometry is known.
    private var specials: [(a: Int, b: Int?, side: Side?, special: Int, tag: Int)] = []

    /// Adds a rectangular sector and returns its index.
    @discardableResult
    mutating func room(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double, floor: Double = 0, ceiling: Double = 128,
                       tag: Int = 0) -> Int {
        rooms.append(Room(minX: minX, minY: minY, maxX: maxX, maxY: maxY, floor: floor, ceiling: ceiling, tag: tag))
        return rooms.count - 1
    }

    /// Tags a room already added (a lift's platform).
    mutating func setTag(_ tag: Int, ofRoom room: Int) { rooms[room].tag = tag }

    /// A special on the lines between two sectors, facing `front` (the side the player uses or crosses it from).
    mutating func special(_ special: Int, tag: Int = 0, between front: Int, and back: Int) {
        specials.append((front, back, nil, special, tag))
    }

    /// A special on a sector's outer wall on one side (a switch).
    mutating func special(_ special: Int, tag: Int = 0, wallOf sector: Int, side: Side) {
        specials.append((sector, nil, side, special, tag))
    }

    mutating func thing(_ type: Int, _ x: Double, _ y: Double, angle: Int = 0) {
        things.append(Thing(x: x, y: y, angle: angle, type: type))
    }

    /// The map, with the lines of each special found by the sectors on their sides.
    func build(name: String = "MAP01") -> DoomMap {
        var map = DoomMap(name: name, format: .doom, things: things, linedefs: [], sidedefs: [], vertices: [], sectors: [])
        map.sectors = rooms.map {
            Sector(floorHeight: $0.floor, ceilingHeight: $0.ceiling, floorTexture: "FLOOR4_8", ceilingTexture: "CEIL3_5", tag: $0.tag)
        }
        var vertexIndex: [Vertex: Int] = [:]
        func vertex(_ x: Double, _ y: Double) -> Int {
            let v = Vertex(x: x, y: y)
            if let known = vertexIndex[v] { return known }
            map.vertices.append(v)
            vertexIndex[v] = map.vertices.count - 1
            return map.vertices.count - 1
        }
        // Every room's edges, clockwise, split at every corner of another room lying on them.
        let corners = rooms.flatMap { [($0.minX, $0.minY), ($0.minX, $0.maxY), ($0.maxX, $0.maxY), ($0.maxX, $0.minY)] }
        struct Segment { var a: (Double, Double), b: (Double, Double), sector: Int, side: Side }
        var segments: [Segment] = []
        for (index, r) in rooms.enumerated() {
            let edges: [((Double, Double), (Double, Double), Side)] = [
                ((r.minX, r.minY), (r.minX, r.maxY), .west), ((r.minX, r.maxY), (r.maxX, r.maxY), .north),
                ((r.maxX, r.maxY), (r.maxX, r.minY), .east), ((r.maxX, r.minY), (r.minX, r.minY), .south),
            ]
            for (a, b, side) in edges {
                let vertical = a.0 == b.0
                var cuts = corners.filter { c in
                    vertical ? c.0 == a.0 && c.1 > min(a.1, b.1) && c.1 < max(a.1, b.1)
                        : c.1 == a.1 && c.0 > min(a.0, b.0) && c.0 < max(a.0, b.0)
                }
                cuts.sort { vertical ? ($0.1 - a.1) * (b.1 - a.1) < ($1.1 - a.1) * (b.1 - a.1) : ($0.0 - a.0) * (b.0 - a.0) < ($1.0 - a.0) * (b.0 - a.0) }
                var points = [a] + cuts + [b]
                points = points.reduce(into: []) { list, p in if list.last.map({ $0 != p }) ?? true { list.append(p) } }
                for (p, q) in zip(points, points.dropFirst()) { segments.append(Segment(a: p, b: q, sector: index, side: side)) }
            }
        }
        // Segments with the same ends in opposite directions are one two-sided line.
        var used = [Bool](repeating: false, count: segments.count)
        var lineSectors: [(front: Int, back: Int?, side: Side)] = []
        for i in segments.indices where !used[i] {
            used[i] = true
            let s = segments[i]
            let twin = segments.indices.first { j in !used[j] && segments[j].a == s.b && segments[j].b == s.a }
            if let twin { used[twin] = true }
            map.sidedefs.append(Sidedef(upperTexture: "STARTAN3", lowerTexture: "STARTAN3", middleTexture: twin == nil ? "STARTAN3" : "-",
                                        sector: s.sector))
            let front = map.sidedefs.count - 1
            var back: Int?
            if let twin {
                map.sidedefs.append(Sidedef(upperTexture: "STARTAN3", lowerTexture: "STARTAN3", sector: segments[twin].sector))
                back = map.sidedefs.count - 1
            }
            map.linedefs.append(Linedef(start: vertex(s.a.0, s.a.1), end: vertex(s.b.0, s.b.1),
                                        flags: twin == nil ? Linedef.blockingFlag : Linedef.twoSidedFlag,
                                        frontSide: front, backSide: back))
            lineSectors.append((s.sector, twin.map { segments[$0].sector }, s.side))
        }
        for special in specials {
            for (index, sides) in lineSectors.enumerated() {
                if let back = special.b {
                    if sides.front == special.a && sides.back == back {
                        map.linedefs[index].special = special.special
                        map.linedefs[index].tag = special.tag
                    } else if sides.front == back && sides.back == special.a {
                        // Turn the line round so that its front faces `special.a`.
                        let line = map.linedefs[index]
                        map.linedefs[index] = Linedef(start: line.end, end: line.start, flags: line.flags, special: special.special,
                                                      tag: special.tag, frontSide: line.backSide, backSide: line.frontSide)
                    }
                } else if sides.front == special.a, sides.back == nil, sides.side == special.side {
                    map.linedefs[index].special = special.special
                    map.linedefs[index].tag = special.tag
                }
            }
        }
        return map
    }

    /// The linedefs with a special, by special number.
    static func lines(of special: Int, in map: DoomMap) -> [Int] {
        map.linedefs.indices.filter { map.linedefs[$0].special == special }
    }
}
