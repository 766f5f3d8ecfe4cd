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
