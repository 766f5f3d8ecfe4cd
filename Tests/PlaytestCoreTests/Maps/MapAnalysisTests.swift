import Testing
@testable import PlaytestCore

/// Each check on a small map built for its defect, and silence on a clean map.
@Suite("Map Analysis checks")
struct MapAnalysisTests {
    private func findings(_ map: DoomMap, resources: MapResources? = TestMaps.resources) -> [Finding] {
        // Round-trip through a WAD so the checks see what the reader produces.
        let wad = try? WAD(bytes: BinaryMapEncoder.wad(map))
        let parsed = wad.flatMap { try? MapParser.parse(wad: $0, mapNamed: map.name) } ?? map
        return MapAnalysis.run(parsed, resources: resources)
    }

    private func only(_ kind: FindingKind, in findings: [Finding], sourceLocation: SourceLocation = #_sourceLocation) -> [Finding] {
        #expect(findings.map(\.kind).allSatisfy { $0 == kind }, "unexpected findings: \(findings.map(\.kind))",
                sourceLocation: sourceLocation)
        return findings.filter { $0.kind == kind }
    }

    @Test("The clean map has no findings at all")
    func cleanMap() {
        #expect(findings(TestMaps.cleanRoom()).isEmpty)
        #expect(findings(TestMaps.twoRooms(eastFloor: 16)).isEmpty)
    }

    @Test("No player 1 start is an error")
    func missingPlayerStart() {
        var map = TestMaps.cleanRoom()
        map.things[0].type = 2
        let found = only(.missingPlayerStart, in: findings(map))
        #expect(found.count == 1)
        #expect(found[0].severity == .error)
        #expect(found[0].message.contains("player 1 start"))
    }

    @Test("A deathmatch map with fewer than 4 deathmatch starts is a warning; 4 are fine")
    func deathmatchStarts() {
        var map = TestMaps.cleanRoom()
        map.things += [Thing(x: 100, y: 400, type: 11), Thing(x: 400, y: 100, type: 11)]
        let found = only(.tooFewDeathmatchStarts, in: findings(map))
        #expect(found.count == 1 && found[0].severity == .warning)
        #expect(found[0].ids == [MapElementID(.thing, 3), MapElementID(.thing, 4)])
        map.things += [Thing(x: 100, y: 100, type: 11), Thing(x: 400, y: 300, type: 11)]
        #expect(findings(map).isEmpty)
    }

    @Test("An unclosed sector is an error located at the gap")
    func unclosedSector() {
        var map = TestMaps.cleanRoom()
        map.linedefs.remove(at: 0) // the west wall
        let found = only(.unclosedSector, in: findings(map))
        #expect(found.count == 1)
        #expect(found[0].ids == [MapElementID(.sector, 0)])
        #expect([MapPoint(x: 0, y: 0), MapPoint(x: 0, y: 512)].contains(found[0].location))
    }

    @Test("A sector with area 0 is a warning")
    func zeroAreaSector() {
        var map = TestMaps.cleanRoom()
        // Sector 1 is a flat sliver: two lines on top of each other between the same two points, facing each other.
        map.sectors.append(Sector(floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
        map.vertices += [Vertex(x: 100, y: 100), Vertex(x: 200, y: 100)]
        map.sidedefs.append(Sidedef(middleTexture: TestMaps.wallTexture, sector: 1))
        map.linedefs.append(Linedef(start: 4, end: 5, frontSide: map.sidedefs.count - 1, backSide: nil))
        map.sidedefs.append(Sidedef(middleTexture: TestMaps.wallTexture, sector: 1))
        map.linedefs.append(Linedef(start: 5, end: 4, frontSide: map.sidedefs.count - 1, backSide: nil))
        let all = findings(map)
        let found = all.filter { $0.kind == .zeroAreaSector }
        #expect(found.count == 1 && found[0].ids == [MapElementID(.sector, 1)] && found[0].severity == .warning)
        // The sliver's lines also overlap each other; nothing else is reported.
        #expect(Set(all.map(\.kind)) == [.zeroAreaSector, .overlappingLines])
        // A sector no line refers to is also empty.
        var unused = TestMaps.cleanRoom()
        unused.sectors.append(Sector(floorTexture: TestMaps.floorFlat, ceilingTexture: TestMaps.ceilingFlat))
        #expect(only(.zeroAreaSector, in: findings(unused)).first?.message.contains("no lines face it") == true)
    }

    @Test("A linedef without a front side is an error")
    func missingFrontSide() {
        var map = TestMaps.cleanRoom()
        // The north wall keeps its sidedef as a back side: reversed, so the back still faces the room.
        map.linedefs[1] = Linedef(start: 2, end: 1, frontSide: nil, backSide: 1)
        let found = only(.missingFrontSide, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 1)] && found[0].severity == .error)
        #expect(found[0].location == MapPoint(x: 256, y: 512))
    }

    @Test("A one-sided line marked two-sided is an error")
    func oneSidedMarkedTwoSided() {
        var map = TestMaps.cleanRoom()
        map.linedefs[1].flags |= Linedef.twoSidedFlag
        let found = only(.oneSidedLineMarkedTwoSided, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 1)] && found[0].severity == .error)
    }

    @Test("A two-sided line not marked two-sided is a warning")
    func twoSidedMarkedOneSided() {
        var map = TestMaps.twoRooms()
        map.linedefs[6].flags = Linedef.blockingFlag
        let found = only(.twoSidedLineMarkedOneSided, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 6)] && found[0].severity == .warning)
    }

    @Test("A missing middle texture on a wall, and a missing lower texture on a step, are errors")
    func missingTexture() {
        var wall = TestMaps.cleanRoom()
        wall.sidedefs[3].middleTexture = "-"
        let found = only(.missingTexture, in: findings(wall))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 3), MapElementID(.sidedef, 3)])
        #expect(found[0].message.contains("middle texture"))

        var step = TestMaps.twoRooms(eastFloor: 16)
        step.sidedefs[6].lowerTexture = "-" // the west (front) side sees the east room's higher floor
        step.sidedefs[7].lowerTexture = "-" // the east side sees a lower floor: no lower texture needed
        step.sidedefs[6].upperTexture = "-" // ceilings are equal: no upper texture needed
        let stepFound = only(.missingTexture, in: findings(step))
        #expect(stepFound.count == 1 && stepFound[0].message.contains("front side's lower"))

        // A higher ceiling needs an upper texture, unless both ceilings are sky.
        var ceiling = TestMaps.twoRooms(eastCeiling: 96)
        ceiling.sidedefs[6].upperTexture = "-"
        #expect(only(.missingTexture, in: findings(ceiling)).first?.message.contains("front side's upper") == true)
        ceiling.sectors[0].ceilingTexture = "F_SKY1"
        ceiling.sectors[1].ceilingTexture = "F_SKY1"
        #expect(findings(ceiling).isEmpty)

        // Walls of a sector without height are never seen.
        var closed = TestMaps.cleanRoom()
        closed.sectors[0].ceilingHeight = 0
        closed.sidedefs[3].middleTexture = "-"
        #expect(!findings(closed).contains { $0.kind == .missingTexture })
    }

    @Test("A texture the WAD does not define is an error")
    func unknownTexture() {
        var map = TestMaps.cleanRoom()
        map.sidedefs[0].middleTexture = "NOSUCH"
        let found = only(.unknownTexture, in: findings(map))
        #expect(found.count == 1 && found[0].message.contains("\"NOSUCH\""))
        // Without a texture list the check cannot know, and stays silent.
        #expect(findings(map, resources: nil).isEmpty)
        // ZDoom-family formats let a wall use a flat; vanilla Doom does not.
        map.sidedefs[0].middleTexture = TestMaps.floorFlat
        #expect(only(.unknownTexture, in: findings(map)).count == 1)
        var hexen = map
        hexen.format = .hexen
        hexen.linedefs[2].special = 243 // Exit_Normal in Hexen numbering
        #expect(MapAnalysis.run(hexen, resources: TestMaps.resources).isEmpty)
    }

    @Test("A missing flat and an unknown flat are errors")
    func flats() {
        var missing = TestMaps.cleanRoom()
        missing.sectors[0].ceilingTexture = "-"
        let found = only(.missingFlat, in: findings(missing))
        #expect(found.count == 1 && found[0].message.contains("ceiling"))
        var unknown = TestMaps.cleanRoom()
        unknown.sectors[0].floorTexture = "LAVA99"
        #expect(only(.unknownFlat, in: findings(unknown)).count == 1)
        var sky = TestMaps.cleanRoom()
        sky.sectors[0].ceilingTexture = "F_SKY1"
        #expect(findings(sky).isEmpty)
    }

    @Test("Vertices on the same spot are a warning")
    func overlappingVertices() {
        var map = TestMaps.cleanRoom()
        map.vertices.append(Vertex(x: 512, y: 512))
        let found = only(.overlappingVertices, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.vertex, 2), MapElementID(.vertex, 4)])
        #expect(found[0].location == MapPoint(x: 512, y: 512))
    }

    @Test("Lines on top of each other are a warning; collinear lines that only touch are not")
    func overlappingLines() {
        var map = TestMaps.cleanRoom()
        // A second wall along the north side, from x 100 to 300, facing south.
        map.vertices += [Vertex(x: 100, y: 512), Vertex(x: 300, y: 512)]
        map.sidedefs.append(Sidedef(middleTexture: TestMaps.wallTexture, sector: 0))
        map.linedefs.append(Linedef(start: 4, end: 5, frontSide: map.sidedefs.count - 1))
        let all = findings(map)
        let found = all.filter { $0.kind == .overlappingLines }
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 1), MapElementID(.linedef, 4)])
        // The extra wall also breaks the sector's outline; nothing else is reported.
        #expect(Set(all.map(\.kind)) == [.overlappingLines, .unclosedSector])

        var touching = TestMaps.cleanRoom()
        touching.vertices += [Vertex(x: 512, y: 512), Vertex(x: 700, y: 512)]
        touching.sidedefs.append(Sidedef(middleTexture: TestMaps.wallTexture, sector: 0))
        touching.linedefs.append(Linedef(start: 5, end: 4, frontSide: touching.sidedefs.count - 1))
        #expect(!findings(touching).contains { $0.kind == .overlappingLines })
    }

    @Test("A zero-length line is a warning")
    func zeroLengthLine() {
        var map = TestMaps.cleanRoom()
        map.vertices.append(Vertex(x: 300, y: 300))
        map.sidedefs.append(Sidedef(middleTexture: TestMaps.wallTexture, sector: 0))
        map.linedefs.append(Linedef(start: 4, end: 4, frontSide: map.sidedefs.count - 1))
        let found = only(.zeroLengthLine, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.linedef, 4)] && found[0].location == MapPoint(x: 300, y: 300))
    }

    @Test("A monster overlapping a wall is stuck (error); one that touches it is not")
    func thingStuckInWall() {
        var map = TestMaps.cleanRoom()
        map.things[1] = Thing(x: 10, y: 256, type: 3001) // imp, radius 20, 10 units from the west wall
        let found = only(.thingStuckInWall, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.thing, 1), MapElementID(.linedef, 0)])
        map.things[1].x = 20 // exactly touching
        #expect(findings(map).isEmpty)
    }

    @Test("A thing outside every sector is a warning")
    func thingOutsideMap() {
        var map = TestMaps.cleanRoom()
        map.things.append(Thing(x: 900, y: 900, type: 2011))
        let found = only(.thingOutsideMap, in: findings(map))
        #expect(found.count == 1 && found[0].ids == [MapElementID(.thing, 3)] && found[0].location == MapPoint(x: 900, y: 900))
    }

    @Test("A map beyond the engine's coordinate range is an error")
    func mapTooLarge() throws {
        // UDMF can place vertices beyond ±32767; binary formats cannot.
        var wide = TestMaps.cleanRoom()
        wide.vertices[2].x = 40000
        wide.vertices[3].x = 40000
        let found = MapAnalysis.run(wide, resources: TestMaps.resources).filter { $0.kind == .mapTooLarge }
        #expect(found.count == 1 && found[0].ids == [MapElementID(.vertex, 2), MapElementID(.vertex, 3)])
        // Inside the coordinate range but spanning more than 32767 units.
        var span = TestMaps.cleanRoom()
        span.vertices[0].x = -20000
        span.vertices[1].x = -20000
        span.vertices[2].x = 20000
        span.vertices[3].x = 20000
        span.things[1].x = 0
        let spanFound = MapAnalysis.run(span, resources: TestMaps.resources)
        #expect(spanFound.map(\.kind) == [.mapTooLarge])
        #expect(spanFound.first?.ids.isEmpty == true && spanFound.first?.message.contains("40000") == true)
    }

    @Test("A map without an exit gets an informational finding")
    func noExit() {
        var map = TestMaps.cleanRoom()
        map.linedefs[2].special = 0
        let found = only(.noExit, in: findings(map))
        #expect(found.count == 1 && found[0].severity == .info)
        map.sectors[0].special = 11 // an exit sector counts
        #expect(findings(map).isEmpty)
    }

    @Test("Findings come sorted by severity and every kind has a check")
    func orderingAndCoverage() {
        var map = TestMaps.cleanRoom()
        map.linedefs[2].special = 0
        map.things[0].type = 3
        map.vertices.append(Vertex(x: 0, y: 0))
        let severities = findings(map).map(\.severity)
        #expect(severities == [.error, .warning, .info])
        let covered = Set(MapAnalysis.checks.flatMap(\.kinds))
        #expect(covered == Set(FindingKind.allCases))
    }

    @Test("Summaries count findings by severity and encode as JSON")
    func summary() throws {
        var map = TestMaps.cleanRoom()
        map.linedefs[2].special = 0
        map.title = "Test room"
        let report = MapReport(geometry: MapGeometry(map), resources: TestMaps.resources)
        #expect(report.summary.findings == FindingCounts(report.findings))
        #expect(report.summary.findings.info == 1 && report.summary.findings.error == 0)
        #expect(report.summary.counts.linedefs == 4 && report.summary.thingCounts["monster"] == 1)
        #expect(report.summary.area == 512 * 512 && report.summary.reachableSectors == 1)
        let summary = try WADSummary(bytes: BinaryMapEncoder.wad(map))
        #expect(summary.kind == .pwad && summary.formats == [.doom] && summary.maps.map(\.name) == ["MAP01"])
        #expect(throws: WADError.noMaps) { try WADSummary(bytes: WADBuilder().build()) }
    }
}
