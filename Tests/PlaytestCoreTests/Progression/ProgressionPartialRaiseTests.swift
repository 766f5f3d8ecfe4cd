import Testing
@testable import PlaytestCore

/// A floor raised by a fixed amount from two switches, where one press alone opens nothing (E4M8's bridge).
@Suite("Progression planner: a step closed by two partial raises")
struct ProgressionPartialRaiseTests {
    static let raise32 = 14, exitSwitch = 11

    /// Start room (0…256) with two "raise floor 32" switches, a pit 72 below it (256…512, tag 5), and a room at the
    /// start's height (512…768) with the exit switch. The pit is dropped into; its far side is 72 up until both
    /// switches have raised it to 8 below the exit room.
    private func pit(switches: Int) -> PlantedMap {
        var planted = PlantedMap()
        let start = planted.room(0, 0, 256, 256)
        planted.room(256, 0, 512, 256, floor: -72, ceiling: 128, tag: 5)
        let exitRoom = planted.room(512, 0, 768, 256)
        planted.special(Self.raise32, tag: 5, wallOf: start, side: .north)
        if switches > 1 { planted.special(Self.raise32, tag: 5, wallOf: start, side: .south) }
        planted.special(Self.exitSwitch, wallOf: exitRoom, side: .east)
        planted.thing(1, 64, 128)
        return planted
    }

    @Test("Two presses of two switches, each raising the pit 32: both are pressed, then the pit is crossed to the exit")
    func bothSwitchesRaiseThePit() {
        let map = pit(switches: 2).build()
        let result = ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2)
        #expect(result.plan.verdict == .completable)
        let raises = result.plan.steps.filter { $0.kind == .use }.compactMap(\.line).filter { map.linedefs[$0].special == Self.raise32 }
        #expect(Set(raises).count == 2)
        #expect(result.plan.steps.last?.kind == .exit)
    }

    @Test("One switch raising the pit 32 leaves its far side 40 up: blocked")
    func oneSwitchIsNotEnough() {
        let map = pit(switches: 1).build()
        let result = ProgressionPlanner.plan(geometry: MapGeometry(map), skill: 2)
        #expect(result.plan.verdict == .blocked)
    }
}
