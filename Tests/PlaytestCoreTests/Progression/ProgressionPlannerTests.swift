import Testing
@testable import PlaytestCore

/// The progression planner on small maps built here, each with the verdict and the route it must give.
@Suite("Progression planner on planted maps")
struct ProgressionPlannerTests {
    static let exitSwitch = 11, redKeyDoor = 28, switchDoor = 103, lift = 62, teleport = 97, redCard = 13

    private func plan(_ planted: PlantedMap) -> (ProgressionPlanner.Result, DoomMap) {
        let map = planted.build()
        return (ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2), map)
    }

    /// The sectors a path passes through, walk by walk.
    private func sectorsWalked(_ path: [Int], _ graph: NavigationGraph) -> Set<Int> {
        var sectors = Set(path.map { graph.nodes[$0].sector })
        for (a, b) in zip(path, path.dropFirst()) {
            for edge in graph.edges where (edge.a == a && edge.b == b) || (edge.a == b && edge.b == a) { sectors.formUnion(edge.sectors) }
        }
        return sectors
    }

    /// Start room (0…256), a door (256…272), and a room behind it (272…528) with the exit switch on its east wall.
    private func doorAndRoom(doorTag: Int = 0) -> (PlantedMap, start: Int, door: Int, behind: Int) {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let door = planted.room(256, 96, 272, 160, floor: 0, ceiling: 0, tag: doorTag)
        let behind = planted.room(272, 0, 528, 256)
        planted.special(Self.exitSwitch, wallOf: behind, side: .east)
        planted.thing(1, 64, 128)
        return (planted, start, door, behind)
    }

    @Test("A key door whose key lies behind it: blocked, naming the lock")
    func keyBehindItsDoor() {
        var (planted, start, door, behind) = doorAndRoom()
        planted.special(Self.redKeyDoor, between: start, and: door)
        planted.special(Self.redKeyDoor, between: behind, and: door)
        planted.thing(Self.redCard, 400, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.steps.isEmpty)
        #expect(result.plan.blocker?.kind == .lock)
        #expect(result.plan.blocker?.key == "red")
        #expect(result.plan.reason.hasPrefix("The exit needs the red key: the door "), "\(result.plan.reason)")
        #expect(!result.plan.reason.contains("door at the door"), "\(result.plan.reason)")
        #expect(result.plan.reason.contains("behind the door it opens"))
    }

    @Test("The same door with the key in the start room: pick up the key, open the door, exit")
    func keyBeforeItsDoor() {
        var (planted, start, door, behind) = doorAndRoom()
        planted.special(Self.redKeyDoor, between: start, and: door)
        planted.special(Self.redKeyDoor, between: behind, and: door)
        planted.thing(Self.redCard, 160, 200)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind) == [.pickup, .use, .exit])
        #expect(result.plan.steps.first?.item == "red_card")
        let doorLine = result.plan.steps[1].line.map { map.linedefs[$0] }
        #expect(doorLine?.special == Self.redKeyDoor)
        #expect(result.plan.steps.last?.line.map { map.linedefs[$0].special } == Self.exitSwitch)
    }

    @Test("A switch opens the door to the exit")
    func switchOpenedDoor() {
        var (planted, start, _, _) = doorAndRoom(doorTag: 5)
        planted.special(Self.switchDoor, tag: 5, wallOf: start, side: .west)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind) == [.use, .exit])
        #expect(result.plan.steps.first?.line.map { map.linedefs[$0].special } == Self.switchDoor)
        // The door's ceiling should be seen to rise.
        #expect(result.plan.steps.first?.expect.contains { $0.sector == 1 && $0.ceilingAtLeast != nil } == true)
        #expect(result.plan.steps.last?.how == "use")
    }

    @Test("Without the switch the door never opens: blocked")
    func doorWithoutOpener() {
        let (planted, _, _, _) = doorAndRoom(doorTag: 5)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.blocker?.kind == .geometry)
    }

    @Test("A door whose only switch is behind it: blocked, naming the switch")
    func switchBehindItsDoor() {
        var (planted, _, _, behind) = doorAndRoom(doorTag: 5)
        planted.special(Self.switchDoor, tag: 5, wallOf: behind, side: .north)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.blocker?.kind == .switchUnreachable)
        #expect(result.plan.blocker?.line.map { map.linedefs[$0].special } == Self.switchDoor)
        #expect(result.plan.reason.contains("behind the door it opens"))
    }

    @Test("A lift up to the exit's ledge")
    func lift() throws {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let platform = planted.room(256, 64, 320, 192, floor: 128, ceiling: 256, tag: 7)
        let ledge = planted.room(320, 0, 576, 256, floor: 128, ceiling: 256)
        planted.special(Self.lift, tag: 7, between: start, and: platform)
        planted.special(Self.exitSwitch, wallOf: ledge, side: .east)
        planted.thing(1, 64, 128)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind) == [.use, .exit])
        #expect(result.plan.steps.first?.line.map { map.linedefs[$0].special } == Self.lift)
        #expect(result.plan.steps.first?.expect.contains { $0.sector == platform && $0.floorAtMost != nil } == true)
        // The walk to the exit rides the lift: it passes through the platform.
        let exitPath = result.plan.steps.last?.path ?? []
        #expect(sectorsWalked(exitPath, result.graph).contains(platform))
        #expect(exitPath.last.map { result.graph.nodes[$0].sector } == ledge)
        // The navigator is told that the lift goes down to the lowest floor around it when it is pressed (E4M6: a
        // neighbour lowered before the ride takes the lift further down than the map's start heights say).
        let geometry = MapGeometry(map)
        let config = NavigationConfig(result: result, geometry: geometry)
        let mover = config.movers.first { $0.sector == platform }
        #expect(mover?.open.floor == 0 && Set(mover?.open.floorLowestOf ?? []) == [platform, start, ledge])
        #expect(String(decoding: try config.json(), as: UTF8.self).contains(#""floor_lowest_of":["#))
    }

    @Test("Without the lift's switch the ledge is out of reach: blocked")
    func ledgeWithoutLift() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        let ledge = planted.room(256, 0, 512, 256, floor: 128, ceiling: 256)
        planted.special(Self.exitSwitch, wallOf: ledge, side: .east)
        planted.thing(1, 64, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.blocker?.kind == .geometry)
    }

    @Test("A teleporter is the only way to the exit room")
    func teleporter() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let pad = planted.room(256, 96, 320, 160)
        let far = planted.room(1024, 0, 1280, 256, tag: 3)
        planted.special(Self.teleport, tag: 3, between: start, and: pad)
        planted.special(Self.exitSwitch, wallOf: far, side: .east)
        planted.thing(1, 64, 128)
        planted.thing(14, 1100, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind) == [.exit])
        let path = result.plan.steps[0].path
        let teleports = Set(result.graph.teleports.map { [$0.from, $0.to] })
        #expect(zip(path, path.dropFirst()).contains { teleports.contains([$0, $1]) })
        #expect(result.graph.nodes[result.plan.steps[0].node].sector == far)
    }

    @Test("Two sectors share the teleporter's tag: the destination is the first in the lower-numbered sector, not the map's first destination thing (Doom's EV_Teleport)")
    func teleporterTagOnTwoSectors() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let pad = planted.room(256, 96, 320, 160)
        let exitSide = planted.room(1024, 0, 1280, 256, tag: 3)   // the lower-numbered tagged sector
        let deadEnd = planted.room(2048, 0, 2304, 256, tag: 3)
        planted.special(Self.teleport, tag: 3, between: start, and: pad)
        planted.special(Self.exitSwitch, wallOf: exitSide, side: .east)
        planted.thing(1, 64, 128)
        planted.thing(14, 2176, 128)   // listed first, in the higher-numbered sector
        planted.thing(14, 1100, 128)
        let (result, _) = plan(planted)
        #expect(deadEnd > exitSide)
        #expect(result.plan.verdict == .completable)
        #expect(result.graph.teleports.allSatisfy { result.graph.nodes[$0.to].sector == exitSide })
    }

    @Test("Stepping off the destination pad does not teleport back: a teleporter line works from its front only")
    func teleporterFrontOnly() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let pad = planted.room(256, 96, 320, 160)
        let far = planted.room(1024, 0, 1280, 256, tag: 3)
        // The line faces the pad: walking from the start room onto the pad crosses it from the back.
        planted.special(Self.teleport, tag: 3, between: pad, and: start)
        planted.special(Self.exitSwitch, wallOf: far, side: .east)
        planted.thing(1, 64, 128)
        planted.thing(14, 1100, 128)
        let (result, _) = plan(planted)
        // Stepping onto the pad does nothing; stepping back off it (from its front) teleports.
        #expect(result.plan.verdict == .completable)
        let path = result.plan.steps.last?.path ?? []
        #expect(sectorsWalked(path, result.graph).contains(pad))
    }

    @Test("A one-way drop into a pit with no way out: blocked")
    func pit() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256, floor: 128, ceiling: 256)
        planted.room(256, 0, 512, 256, floor: 0, ceiling: 256)
        let exitRoom = planted.room(512, 0, 768, 256, floor: 128, ceiling: 256)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.steps.isEmpty)
        #expect(result.plan.blocker?.kind == .geometry)
        #expect(result.plan.reason.contains("even with every door and lift open"))
    }

    @Test("A pit the player can climb out of by stairs is no trap")
    func pitWithStairs() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256, floor: 128, ceiling: 256)
        planted.room(256, 0, 512, 256, floor: 0, ceiling: 256)
        for step in 0..<5 { planted.room(512 + 32 * Double(step), 0, 544 + 32 * Double(step), 256, floor: 24 * Double(step + 1), ceiling: 256) }
        let exitRoom = planted.room(672, 0, 928, 256, floor: 128, ceiling: 256)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind) == [.exit])
    }

    @Test("No player start: blocked with the reason, no crash")
    func noStart() {
        var planted = PlantedMap()
        let room = planted.room(0, 0, 256, 256)
        planted.special(Self.exitSwitch, wallOf: room, side: .east)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.blocker?.kind == .noStart)
        #expect(result.plan.reason.contains("no player 1 start"))
    }

    @Test("No exit: blocked with the reason, no crash")
    func noExit() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        planted.thing(1, 64, 128)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
        #expect(result.plan.blocker?.kind == .noExit)
        #expect(result.plan.reason.contains("no exit"))
    }

    @Test("An empty map: blocked, no crash")
    func emptyMap() {
        let map = DoomMap(name: "MAP01", format: .doom, things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        let result = ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2)
        #expect(result.plan.verdict == .blocked)
    }

    @Test("The navigation object of a completable plan ends with the exit and lists one-way walks additively")
    func navigationObject() throws {
        var (planted, start, _, _) = doorAndRoom(doorTag: 5)
        planted.special(Self.switchDoor, tag: 5, wallOf: start, side: .west)
        let map = planted.build()
        let geometry = MapGeometry(map)
        let result = ProgressionPlanner.plan(geometry: geometry, skill: 2)
        let config = NavigationConfig(result: result, geometry: geometry)
        #expect(config.steps.last?.kind == .exit)
        #expect(config.movers.contains { $0.sector == 1 && $0.kind == "door" })
        let json = String(decoding: try config.json(), as: UTF8.self)
        #expect(json.contains("\"one_way\":[]"))
    }

    /// Start room, a corridor `width` wide and 128 long between one-sided walls, and the exit room beyond.
    private func corridor(width: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        planted.room(128 - width / 2, 256, 128 + width / 2, 384, floor: 8)   // a step up: lines with nodes beside them
        let exitRoom = planted.room(0, 384, 256, 640)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 64)
        return planted
    }

    @Test("A gap exactly 32 units wide is closed (the player would have to hit its middle line exactly); 40 is open")
    func thirtyTwoUnitGap() {
        #expect(plan(corridor(width: 32)).0.plan.verdict == .blocked)
        #expect(plan(corridor(width: 40)).0.plan.verdict == .completable)
    }

    /// A 512-unit room cut along its diagonal by tech columns (radius 16) 56 units apart on each axis, `missing` left
    /// out; the start below the diagonal, the exit room north of its other half.
    private func columnDiagonal(missing: Int? = nil) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 512, 512)
        let exitRoom = planted.room(64, 512, 192, 768)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        for k in 0...9 where k != missing { planted.thing(48, 8 + 56 * Double(k), 8 + 56 * Double(k)) }
        planted.thing(1, 400, 100)
        return planted
    }

    @Test("Columns whose centres stand 79 apart on a diagonal are a wall: Doom blocks by boxes, which meet there, though discs of the same radii leave a gap (E2M6); without one column the way is open")
    func columnsBlockAsBoxes() {
        #expect(plan(columnDiagonal()).0.plan.verdict == .blocked)
        #expect(plan(columnDiagonal(missing: 5)).0.plan.verdict == .completable)
    }

    /// A ledge at 64, two strips `strip` wide at -32, and the exit room at -32 under a ceiling at 96 (E2M6's switch room).
    private func ledgeOverStrips(strip: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256, floor: 64, ceiling: 256)
        planted.room(0, 256, 256, 256 + strip, floor: -32, ceiling: 256)
        planted.room(0, 256 + strip, 256, 256 + 2 * strip, floor: -32, ceiling: 160)
        let exitRoom = planted.room(0, 256 + 2 * strip, 256, 512 + 2 * strip, floor: -32, ceiling: 96)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 64)
        return planted
    }

    /// A pit room, a 16-wide ledge `ledge` high and on it a block 16 higher whose face is a gun target (GR door open)
    /// for the door to the exit room (E3M4's step of GSTONE1).
    private func gunTargetOnLedge(ledge: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256, ceiling: 256)
        let strip = planted.room(256, 0, 272, 256, floor: ledge, ceiling: 256)
        let block = planted.room(272, 0, 336, 256, floor: ledge + 16, ceiling: 256)
        planted.room(96, 256, 160, 272, floor: 0, ceiling: 0, tag: 5)
        let exitRoom = planted.room(0, 272, 256, 528, ceiling: 256)
        planted.special(46, tag: 5, between: strip, and: block)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 64, 64)
        return planted
    }

    @Test("A gun target atop a ledge is not hit from the floor below it: a level shot leaves 36 over the floor and strikes the ledge's wall (E3M4); on a low step it is")
    func shotFromBelowALedge() {
        #expect(plan(gunTargetOnLedge(ledge: 160)).0.plan.verdict == .blocked)
        let low = plan(gunTargetOnLedge(ledge: 16)).0.plan
        #expect(low.verdict == .completable)
        #expect(low.steps.contains { $0.kind == .shoot })
    }

    /// A room at 72 whose switch raises the walkway beside it from -32 to 72, a pit 56 wide beyond the walkway, and
    /// the exit room `far` high beyond the pit (E3M4's hop over lava).
    private func hopBesideRaisedWalkway(far: Double) -> PlantedMap {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256, floor: 72, ceiling: 256)
        planted.room(256, 0, 512, 256, floor: -32, ceiling: 256, tag: 7)
        planted.room(512, 0, 568, 256, floor: -48, ceiling: 256)
        let exitRoom = planted.room(568, 0, 824, 256, floor: far, ceiling: 256)
        planted.special(18, tag: 7, wallOf: start, side: .west)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 128)
        return planted
    }

    @Test("A hop beside a floor that moves is judged running (the navigator runs hops): 24 units in the air fall 5, so a floor 16 higher is reached (walking it would fall 9); 20 higher is not")
    func hopJudgedRunning() {
        #expect(plan(hopBesideRaisedWalkway(far: 88)).0.plan.verdict == .completable)
        #expect(plan(hopBesideRaisedWalkway(far: 92)).0.plan.verdict == .blocked)
    }

    @Test("A teleport pad behind a strip 16 wide that a switch lowers (MAP17's ring round its pad): the teleporter is entered from the lowered strip, only once the switch is pressed")
    func teleporterFromALoweredStrip() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 512, 256)
        let block = planted.room(512, 0, 528, 256, floor: 128, ceiling: 256, tag: 7)
        let pad = planted.room(528, 96, 592, 160, floor: 16, ceiling: 256)
        let exitRoom = planted.room(0, 512, 256, 768, tag: 9)
        planted.special(71, tag: 7, between: start, and: block)   // S1 floor lower to the highest neighbour + 8 (24)
        planted.special(Self.teleport, tag: 9, between: block, and: pad)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(14, 128, 640)    // the teleport destination
        planted.thing(1, 64, 128)
        let result = plan(planted).0.plan
        #expect(result.verdict == .completable, "\(result.reason)")
        #expect(result.steps.map(\.kind) == [.use, .exit])
    }

    /// A room `depth` deep at 48, a pit 226 wide, and the exit room at 0 beyond it (MAP17's slime stairs and ledge).
    private func longLeap(depth: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 256, depth, floor: 48)
        planted.room(0, depth, 256, depth + 226, floor: -64)
        let exitRoom = planted.room(0, depth + 226, 256, depth + 482)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 32)
        return planted
    }

    @Test("A leap over 226 units onto a floor 48 lower needs a 288-unit run-up (19 units a tic; 144 gives 16 and falls 90): made from a room 400 deep, not from one 200 deep")
    func longRunUpLeap() {
        let far = plan(longLeap(depth: 400)).0.plan
        #expect(far.verdict == .completable)
        #expect(far.steps.last?.note.contains("running leap") == true)
        #expect(plan(longLeap(depth: 200)).0.plan.verdict == .blocked)
    }

    @Test("Two pits side by side at different depths are leapt over together (MAP13's nukage strip at -96 beside its courtyard at -32, from a ledge at 160 onto a pillar at 96)")
    func leapOverTwoPits() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 400, floor: 160, ceiling: 384)
        planted.room(0, 400, 256, 464, floor: -96, ceiling: 384)
        planted.room(0, 464, 256, 528, floor: -32, ceiling: 384)
        let exitRoom = planted.room(0, 528, 256, 784, floor: 96, ceiling: 384)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 32)
        let result = plan(planted).0.plan
        #expect(result.verdict == .completable, "\(result.reason)")
        #expect(result.steps.last?.note.contains("running leap") == true)
    }

    @Test("A pit whose floor a walk-over line lowers is still leapt over (E2M4: from a ledge at 64 over a room at -64 that goes down to -128, onto a strip at 0)")
    func leapOverALoweringPit() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 400, floor: 64, ceiling: 384)
        let pit = planted.room(0, 400, 256, 624, floor: -64, ceiling: 384, tag: 3)
        planted.room(256, 400, 320, 624, floor: -128, ceiling: 384)
        let landing = planted.room(0, 624, 256, 880, ceiling: 384)
        planted.special(38, tag: 3, between: pit, and: landing)   // W1 floor lower to lowest
        planted.special(Self.exitSwitch, wallOf: landing, side: .north)
        planted.thing(1, 128, 32)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .completable, "\(result.plan.reason)")
        #expect(result.graph.edges.contains { $0.leap })
    }

    @Test("A switch with a barrel 40 units before its middle (MAP17's): used from a spot slid along it")
    func switchBehindABarrel() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        let alcove = planted.room(256, 64, 320, 192)
        let closet = planted.room(320, 96, 384, 160, floor: 0, ceiling: 0)
        planted.special(Self.exitSwitch, between: alcove, and: closet)
        planted.thing(2035, 280, 128)   // a barrel
        planted.thing(1, 64, 128)
        let result = plan(planted).0.plan
        #expect(result.verdict == .completable, "\(result.reason)")
    }

    @Test("Strips together no wider than the box below a ledge: the box reaches the low-ceilinged room beyond while the player still stands on the ledge (32 units of room, not 56): blocked; strips twice as wide let it drop first")
    func ledgeOverNarrowStrips() {
        #expect(plan(ledgeOverStrips(strip: 16)).0.plan.verdict == .blocked)
        #expect(plan(ledgeOverStrips(strip: 32)).0.plan.verdict == .completable)
    }

    /// Start room (floor 0), a pit `width` wide (floor -64) across it, and the exit room beyond it `rise` higher.
    private func gapToCross(width: Double, rise: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        planted.room(0, 256, 256, 256 + width, floor: -64)
        let exitRoom = planted.room(0, 256 + width, 256, 512 + width, floor: rise)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 64)
        return planted
    }

    @Test("A pit a little wider than the player (40) is crossed moving onto a floor up to 16 higher; 24 higher it is not; 64 wide only by a running leap, 160 not at all")
    func gapCrossedMoving() {
        #expect(plan(gapToCross(width: 24, rise: 24)).0.plan.verdict == .completable)
        let walked = plan(gapToCross(width: 40, rise: 16)).0
        #expect(walked.plan.verdict == .completable)
        #expect(walked.graph.edges.allSatisfy { !$0.leap })
        #expect(plan(gapToCross(width: 40, rise: 24)).0.plan.verdict == .blocked)
        let leapt = plan(gapToCross(width: 64, rise: 16)).0
        #expect(leapt.plan.verdict == .completable)
        #expect(leapt.plan.steps.last?.note.contains("running leap") == true)
        #expect(plan(gapToCross(width: 160, rise: 16)).0.plan.verdict == .blocked)
    }

    @Test("A pit a little wider than the player is crossed moving onto a lift's platform too (MAP21's pillars), running as the navigator runs hops: 56 wide (24 in the air, a fall of 5); 72 wide is too long in the air")
    func gapCrossedMovingOntoALift() {
        for (width, verdict) in [(48.0, ProgressionPlan.Verdict.completable), (56, .completable), (72, .blocked)] {
            // The exit room is a lift's platform, lowered only from on it (its switch is on its own wall).
            var planted = gapToCross(width: width, rise: 16)
            planted.setTag(7, ofRoom: 2)
            planted.special(Self.lift, tag: 7, wallOf: 2, side: .east)
            #expect(plan(planted).0.plan.verdict == verdict, "pit \(width) wide")
        }
    }

    /// A start room (floor 0, ceiling 512) and, north of it, the boss brain's room seen only through a window 300…340 up.
    /// With `platform`, a platform in the start room that a switch raises by 512 (it passes the window's height).
    private func brainBehindAWindow(platform: Bool) -> PlantedMap {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256, ceiling: 512)
        planted.room(0, 256, 256, 264, floor: 300, ceiling: 340)
        planted.room(0, 264, 256, 400, floor: 300, ceiling: 340)
        planted.thing(88, 128, 340)
        planted.thing(1, 64, 64)
        if platform {
            planted.room(256, 96, 320, 160, floor: 0, ceiling: 512, tag: 9)
            planted.special(140, tag: 9, wallOf: start, side: .west)
        }
        return planted
    }

    @Test("The boss brain is killed from where a shot reaches it: not from a floor far below its window (autoaim reaches 100/160 up), but from a platform that rises past it (MAP30)")
    func bossBrainBehindAWindow() {
        let below = plan(brainBehindAWindow(platform: false)).0.plan
        #expect(below.verdict == .blocked)
        let (result, _) = plan(brainBehindAWindow(platform: true))
        #expect(result.plan.verdict == .completable)
        let kill = result.plan.steps.last
        #expect(kill?.kind == .exit)
        #expect(kill.map { result.graph.nodes[$0.node].sector } == 3)
    }

    @Test("A walk-over pad in a corner, 8 units from two walls and moving itself (MAP20): the player steps onto it, a node a unit aside of the usual spot")
    func walkOverPadInACorner() {
        var planted = PlantedMap()
        let left = planted.room(0, 0, 8, 64), below = planted.room(8, 0, 24, 8)
        let pad = planted.room(8, 8, 24, 24, tag: 6)
        let above = planted.room(8, 24, 24, 64), right = planted.room(24, 0, 256, 64)
        let hall = planted.room(0, 64, 256, 256)
        planted.room(100, 256, 156, 272, floor: 0, ceiling: 0, tag: 5)
        let exitRoom = planted.room(0, 272, 256, 528)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        for side in [left, below, above, right] { planted.special(2, tag: 5, between: side, and: pad) }   // W1 door open stay
        planted.special(23, tag: 6, wallOf: hall, side: .east)   // S1 lower the pad: it is a moving sector
        planted.thing(1, 200, 150)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .completable)
        let crossing = result.plan.steps.first { $0.kind == .cross }
        #expect(crossing?.line.map { map.linedefs[$0].special } == 2)
        #expect(result.plan.steps.last?.kind == .exit)
    }

    @Test("Two narrow sectors in a row, together narrower than the player and both below the floors either side, are walked over as one gap (MAP20)")
    func gapOfTwoSectors() {
        var planted = PlantedMap()
        planted.room(0, 0, 256, 256)
        planted.room(0, 256, 256, 268, floor: -32)
        planted.room(0, 268, 256, 280, floor: -40)
        let exitRoom = planted.room(0, 280, 256, 536)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 128, 64)
        #expect(plan(planted).0.plan.verdict == .completable)
    }

    @Test("A switch in front of which every spot overlaps the edges of moving strips (MAP22's start): used from a spot that overlaps them")
    func switchInFrontOfMovingStrips() {
        var planted = PlantedMap()
        let room = planted.room(0, 0, 200, 256)
        planted.room(200, 0, 216, 256, tag: 4)
        planted.room(216, 0, 232, 256, tag: 4)
        let last = planted.room(232, 0, 256, 256, tag: 4)
        planted.room(100, 256, 156, 272, floor: 0, ceiling: 0, tag: 5)
        let exitRoom = planted.room(0, 272, 256, 528)
        planted.special(Self.switchDoor, tag: 5, wallOf: last, side: .east)
        planted.special(23, tag: 4, wallOf: room, side: .west)   // S1 lower the strips: they are moving sectors
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .north)
        planted.thing(1, 64, 128)
        let (result, map) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.contains { $0.kind == .use && $0.line.map { map.linedefs[$0].special } == Self.switchDoor })
    }

    @Test("A block whose walk-over line lies where the player never gets: blocked, naming that line as out of reach")
    func walkOverOpenerOutOfReach() {
        var (planted, _, door, _) = doorAndRoom(doorTag: 5)
        let closedA = planted.room(700, 0, 956, 256), closedB = planted.room(700, 256, 956, 512)
        planted.special(38, tag: 5, between: closedA, and: closedB)
        var map = planted.build()
        map.sectors[door].floorHeight = 128
        map.sectors[door].ceilingHeight = 128
        let plan = ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2).plan
        #expect(plan.verdict == .blocked)
        #expect(plan.reason.contains("when walked over"))
        #expect(plan.blocker?.kind == .switchUnreachable)
    }

    @Test("An exit line crossed only by dropping from a ledge nobody reaches: blocked (the exit is not where the walk lands)")
    func exitLineCrossedFromAnUnreachableLedge() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let ledge = planted.room(0, 256, 256, 512, floor: 64)
        planted.special(52, between: ledge, and: start)   // W1 exit
        planted.thing(1, 128, 64)
        let plan = plan(planted).0.plan
        #expect(plan.verdict == .blocked)
        #expect(plan.blocker?.kind == .geometry)
    }

    /// A low room (ceiling at the lift's top) with the lift's switch facing it, the lift up to a ledge with the red
    /// key, and the exit behind a red door in the low room: once on top, the player must come down again.
    private func liftFromBelow() -> (PlantedMap, ledge: Int) {
        var (planted, start, door, behind) = doorAndRoom()
        planted.special(Self.redKeyDoor, between: start, and: door)
        planted.special(Self.redKeyDoor, between: behind, and: door)
        let platform = planted.room(96, 256, 160, 320, floor: 128, ceiling: 256, tag: 7)
        let ledge = planted.room(0, 320, 256, 576, floor: 128, ceiling: 256)
        planted.special(Self.lift, tag: 7, between: start, and: platform)
        planted.thing(Self.redCard, 128, 480)
        return (planted, ledge)
    }

    @Test("A lift whose only switch is at its foot cannot be lowered from on top: the player who rode it up is stuck")
    func liftUsedFromItsFrontOnly() {
        let (planted, _) = liftFromBelow()
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .blocked)
    }

    @Test("The same lift with a second switch on the ledge: up for the key, down again, through the red door")
    func liftWithSwitchOnTop() {
        var (planted, ledge) = liftFromBelow()
        planted.special(Self.lift, tag: 7, wallOf: ledge, side: .north)
        let (result, _) = plan(planted)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.map(\.kind).contains(.pickup))
    }


    /// MAP07: a mancubus shut in a closet whose only way out is a monster-only teleporter onto a ledge 64 units up
    /// (lowered by a walk-over line when `withTrigger`); killing it lowers the block (tag 666) in front of the exit.
    private func mancubusCloset(withTrigger: Bool) -> DoomMap {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256, ceiling: 256, tag: 28)
        let ledge = planted.room(256, 192, 448, 256, floor: 64, ceiling: 64, tag: 5)
        let closet = planted.room(384, 256, 448, 320, ceiling: 128)
        planted.room(256, 64, 320, 128, floor: 128, ceiling: 256, tag: 666)
        let exitRoom = planted.room(320, 0, 576, 160, ceiling: 256)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.special(125, tag: 28, between: closet, and: ledge)   // W1 teleport, monsters only
        if withTrigger {
            let alcove = planted.room(0, 256, 64, 320, ceiling: 256)
            planted.special(38, tag: 5, between: start, and: alcove)   // W1 floor lower to lowest neighbour floor
        }
        planted.thing(1, 64, 64)
        planted.thing(14, 128, 160)   // the monsters' teleport destination
        planted.thing(67, 416, 288)   // mancubus
        return planted.build(name: "MAP07")
    }

    @Test("A boss monster shut in a closet comes out only once the way to its teleporter opens: the kill follows the crossing")
    func monsterClosetOrder() {
        let open = ProgressionPlanner.plan(geometry: MapGeometry(mancubusCloset(withTrigger: true)), skill: 2)
        #expect(open.plan.verdict == .completable)
        let kinds = open.plan.steps.map(\.kind)
        #expect(kinds.contains(.kill))
        #expect(open.plan.steps.first { $0.kind == .kill }?.things?.count == 1)
        if let kill = kinds.firstIndex(of: .kill) { #expect(kinds.firstIndex(of: .cross).map { $0 < kill } == true) }
        let shut = ProgressionPlanner.plan(geometry: MapGeometry(mancubusCloset(withTrigger: false)), skill: 2)
        #expect(shut.plan.verdict != .completable)
    }

    @Test("A WAD's maps planned side by side give each map the plan it gets alone, in the WAD's order")
    func batch() {
        var blocked = doorAndRoom()
        blocked.0.special(Self.redKeyDoor, between: blocked.start, and: blocked.door)
        blocked.0.thing(Self.redCard, 400, 128)
        var opened = doorAndRoom(doorTag: 5)
        opened.0.special(Self.switchDoor, tag: 5, wallOf: opened.start, side: .west)
        let maps = [opened.0.build(name: "MAP01"), blocked.0.build(name: "MAP02"), opened.0.build(name: "MAP03")]
        let alone = maps.map { ProgressionPlanner.plan(geometry: MapGeometry($0), skill: 2).plan }
        for concurrency in [1, 2, 8] {
            let batch = ProgressionPlanner.plans(for: maps, skill: 2, concurrency: concurrency)
            #expect(batch.map(\.map) == ["MAP01", "MAP02", "MAP03"])
            #expect(batch.map(\.plan.verdict) == [.completable, .blocked, .completable])
            #expect(batch.map(\.plan.reason) == alone.map(\.reason))
            #expect(batch.map(\.plan.steps.count) == alone.map(\.steps.count))
            #expect(batch.allSatisfy { $0.ms > 0 })
        }
    }
}
