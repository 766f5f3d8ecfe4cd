import Testing
@testable import PlaytestCore

/// A hop over a pit onto a floor a switch moves (MAP29's ledges a line lowers): judged with the heights of the moment,
/// by the fall over the pit at walking speed.
@Suite("Progression planner: a hop beside a moving floor")
struct ProgressionHopTests {
    static let lowerToHighest = 102, exitSwitch = 11

    /// Start room (floor 0) with a "lower floor to highest neighbour floor" switch for the far room; a pit `width` wide
    /// (floor -128); the far room (tag 5) 32 up, lowered to the level of an alcove beside it (floor 0) that the player
    /// cannot reach otherwise; the exit switch on the far room's north wall.
    private func hop(width: Double, switch hasSwitch: Bool = true) -> DoomMap {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        planted.room(0, 256, 256, 256 + width, floor: -128, ceiling: 128)
        let farRoom = planted.room(0, 256 + width, 256, 512 + width, floor: 32, ceiling: 160, tag: 5)
        planted.room(256, 256 + width, 320, 512 + width, floor: 0, ceiling: 24)
        if hasSwitch { planted.special(Self.lowerToHighest, tag: 5, wallOf: start, side: .south) }
        planted.special(Self.exitSwitch, wallOf: farRoom, side: .north)
        planted.thing(1, 128, 64)
        return planted.build()
    }

    @Test("48 wide (16 in the air, a fall of 5): hopped once the switch lowers the far floor to level; 32 up it is not")
    func hoppedOnceLowered() {
        let result = ProgressionPlanner.plan(geometry: MapGeometry(hop(width: 48)), skill: 2)
        #expect(result.plan.verdict == .completable)
        #expect(result.plan.steps.first?.kind == .use, "the switch first")
        #expect(result.graph.edges.contains { $0.maxRise == SectorHeights.stepHeight - 5 })
        let fixed = ProgressionPlanner.plan(geometry: MapGeometry(hop(width: 48, switch: false)), skill: 2)
        #expect(fixed.plan.verdict == .blocked, "32 up: neither hopped nor leapt")
    }

    @Test("96 wide (64 in the air, a fall of 44 at walking speed): not hopped, and no running leap onto a floor that moves")
    func tooWide() {
        #expect(ProgressionPlanner.plan(geometry: MapGeometry(hop(width: 96)), skill: 2).plan.verdict == .blocked)
    }

    @Test("A floor that moves and is too narrow for a clear point (a 16-wide step) still holds nodes, which may overlap its edges")
    func nodesOnANarrowMover() {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        let step = planted.room(0, 256, 256, 272, floor: -16, ceiling: 128, tag: 5)
        planted.room(0, 272, 256, 528)
        planted.special(Self.lowerToHighest, tag: 5, wallOf: start, side: .south)
        planted.thing(1, 128, 64)
        let graph = ProgressionPlanner.plan(geometry: MapGeometry(planted.build()), skill: 2).graph
        #expect(graph.nodes.contains { $0.sector == step && $0.kind == .inner })
    }
}
