import Foundation
import Testing
@testable import PlaytestCore

/// A corridor broken by a pit that nothing climbs out of: walking, the player falls in; at a straferun from a run-up it
/// may land on the far side (E3M7's balcony over the lava, 384 units to a bridge 256 below).
@Suite("Progression planner: running leaps over pits")
struct ProgressionLeapTests {
    static let exitSwitch = 11

    /// The start room (floor 0, 384 long: room to run), a pit `width` wide and 128 deep, then the exit room at `landing`.
    private func pit(width: Double, landing: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 0, 384, 128, ceiling: 256)
        planted.room(384, 0, 384 + width, 128, floor: -384, ceiling: 256)
        let exitRoom = planted.room(384 + width, 0, 384 + width + 256, 128, floor: landing, ceiling: 256)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 64)
        return planted
    }

    @Test("A pit 96 wide at equal heights is leapt (64 units in the air, a fall of 9); 160 is too wide (a fall of 35 under a step of 24)")
    func equalHeights() throws {
        let leapt = ProgressionPlanner.plan(geometry: MapGeometry(pit(width: 96, landing: 0).build()), skill: 2)
        #expect(leapt.plan.verdict == .completable)
        let leaps = leapt.graph.edges.filter(\.leap)
        #expect(!leaps.isEmpty)
        for leap in leaps {
            #expect(leap.directions == 1, "a leap is taken from its run-up node only")
            #expect(!leap.sectors.contains(1), "the pit is crossed in the air")
            // The run-up lies on the take-off floor, far enough back for the run (leaps go both ways here).
            let (from, to) = (leapt.graph.nodes[leap.a], leapt.graph.nodes[leap.b])
            let ledge = to.x > from.x ? 384.0 : 480.0
            #expect(abs(from.x - ledge) >= NavigationGraphBuilder.radius + NavigationGraphBuilder.runway - 1)
        }
        #expect(leapt.plan.steps.last?.note.contains("running leap over the pit") == true)
        // The step names the leap, and the map's route layer draws it.
        let leap = try #require(leapt.plan.steps.last?.leaps?.first)
        #expect(leap.count == 4 && leap[0] < 384 && leap[2] > 480)
        let svg = SVGMapRenderer(geometry: MapGeometry(pit(width: 96, landing: 0).build()))
            .render(route: RouteDrawing(plan: leapt.plan))
        #expect(svg.contains("class=\"route-leap\""))
        let config = try JSONEncoder().encode(NavigationConfig(result: leapt, geometry: MapGeometry(pit(width: 96, landing: 0).build())))
        let json = try #require(try JSONSerialization.jsonObject(with: config) as? [String: Any])
        #expect((json["leaps"] as? [Int])?.isEmpty == false)

        let tooWide = ProgressionPlanner.plan(geometry: MapGeometry(pit(width: 160, landing: 0).build()), skill: 2)
        #expect(tooWide.plan.verdict == .blocked)
        #expect(tooWide.graph.edges.allSatisfy { !$0.leap })
    }

    /// Stepping stones (MAP26's start): the start room, then twice a 4-wide rim at 41 over a pool 64 wide at 0 and a
    /// rim, a pad 120 wide at 32 between the pools, and the exit room. The rims are too thin to stand on alone and
    /// the pad too short for the full run-up.
    private func steppingStones() -> PlantedMap {
        var planted = PlantedMap()
        var x = 0.0
        func strip(_ width: Double, floor: Double) -> Int {
            defer { x += width }
            return planted.room(x, 0, x + width, 128, floor: floor, ceiling: 256)
        }
        _ = strip(256, floor: 32)
        for _ in 0..<2 {
            _ = strip(4, floor: 41)
            _ = strip(64, floor: 0)
            _ = strip(4, floor: 41)
            _ = strip(120, floor: 32)
        }
        let exitRoom = strip(136, floor: 32)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 64)
        return planted
    }

    @Test("Stepping stones: a leap starts from the nodes beside a rim too thin to hold one, with the run-up the pad has room for")
    func steppingStonesAreLeapt() throws {
        let map = steppingStones().build()
        let result = ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2)
        #expect(result.plan.verdict == .completable)
        let pools = Set(map.sectors.indices.filter { map.sectors[$0].floorHeight == 0 })
        let leaps = result.graph.edges.filter(\.leap)
        #expect(!leaps.isEmpty)
        #expect(leaps.allSatisfy { Set($0.sectors).isDisjoint(with: pools) }, "the pools are crossed in the air")
        // From the pad (x 328–448) the run-up is shorter than the full one: 120 units of pad do not hold 144.
        let fromPad = leaps.filter { (328...448).contains(result.graph.nodes[$0.a].x) }
        #expect(!fromPad.isEmpty)
        for leap in fromPad {
            let (from, to) = (result.graph.nodes[leap.a], result.graph.nodes[leap.b])
            #expect(abs(to.x - from.x) < 2 * NavigationGraphBuilder.portalOffset + 64 + 8 + NavigationGraphBuilder.runway)
        }
        // Without the short run-ups the pad is a dead end: a slower run lands only over a narrow pool.
        #expect(NavigationGraphBuilder.leapSpeed(runway: 144) == NavigationGraphBuilder.leapSpeed)
        #expect(NavigationGraphBuilder.leapSpeed(runway: 40) < 12)
        #expect(NavigationGraphBuilder.leapFall(airborne: 32, speed: NavigationGraphBuilder.leapSpeed(runway: 40)) <= 20)
        #expect(NavigationGraphBuilder.leapFall(airborne: 128, speed: NavigationGraphBuilder.leapSpeed(runway: 40)) > 20)
    }

    @Test("A pit of two sectors is one pit, and a ledge whose ceiling crushes still holds a landing (MAP19's pillars)")
    func pitOfTwoSectorsOntoACrusher() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 128, floor: 128, ceiling: 256)
        planted.room(256, 0, 288, 128, floor: 0, ceiling: 256)
        planted.room(288, 0, 336, 128, floor: 0, ceiling: 256)
        let exitRoom = planted.room(336, 0, 592, 128, floor: 128, ceiling: 256)
        planted.setTag(5, ofRoom: exitRoom)
        planted.special(49, tag: 5, wallOf: start, side: .west)   // S1 crusher: only the exit room's ceiling moves
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 64)
        let result = ProgressionPlanner.plan(geometry: MapGeometry(planted.build()), skill: 2)
        #expect(result.plan.verdict == .completable)
        #expect(result.graph.edges.contains { $0.leap && $0.sectors == [0, 3] }, "from the start room over both pit sectors")
    }

    @Test("A leap down falls further: 384 wide onto a floor 256 lower lands 252 down (E3M7); onto a floor 128 lower it falls short")
    func downward() {
        let down = ProgressionPlanner.plan(geometry: MapGeometry(pit(width: 384, landing: -256).build()), skill: 2)
        #expect(down.plan.verdict == .completable)
        let short = ProgressionPlanner.plan(geometry: MapGeometry(pit(width: 384, landing: -128).build()), skill: 2)
        #expect(short.plan.verdict == .blocked)
    }

    @Test("The fall over the airborne stretch: 2, 5, 9, 14… units after 1, 2, 3, 4 tics (measured in VizDoom), judged a tic before landing")
    func fall() {
        #expect(NavigationGraphBuilder.leapFall(airborne: 16) == 0)
        #expect(NavigationGraphBuilder.leapFall(airborne: 17) == 2)
        #expect(NavigationGraphBuilder.leapFall(airborne: 64) == 9)
        #expect(NavigationGraphBuilder.leapFall(airborne: 352) == 252)
    }
}
