import Testing
@testable import PlaytestCore

/// Four sectors meeting at one corner, walked past diagonally (E3M7's spiral of pillars): the player's box goes from
/// one floor to the one across the corner over the lower third, never overlapping the higher fourth.
@Suite("Progression planner: slipping past a corner")
struct ProgressionCornerSlipTests {
    static let exitSwitch = 11

    /// Start (north-west, floor 0) and the exit room (south-east, floor `across`) meet only at the corner (133, 121), off the lattice; the
    /// north-east quarter is a pillar 64 up, the south-west a pit 64 down that nothing climbs out of.
    private func corner(across: Double) -> PlantedMap {
        var planted = PlantedMap()
        planted.room(0, 121, 133, 256)
        planted.room(133, 121, 256, 256, floor: 64, ceiling: 192)
        planted.room(0, 0, 133, 121, floor: -64)
        let exitRoom = planted.room(133, 0, 256, 121, floor: across)
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 48, 208)
        return planted
    }

    @Test("Across the corner onto a floor 23 up: the box never leaves a floor, so it does not fall and the step is the whole rise; 32 up is too high")
    func acrossTheCorner() {
        for (across, verdict) in [(23.0, ProgressionPlan.Verdict.completable), (32, .blocked)] {
            let result = ProgressionPlanner.plan(geometry: MapGeometry(corner(across: across).build()), skill: 2)
            #expect(result.plan.verdict == verdict, "exit room \(across) up")
        }
    }
}
