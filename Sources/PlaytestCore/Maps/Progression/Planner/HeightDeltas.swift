/// `PlanWorld.delta` from one state's heights to its children's, each distinct change judged once: the many edges
/// across one walk-over line are each a candidate action, and all of them change the same sectors to the same
/// heights (E4M1: 408 judgements of one 14-sector change, 21,592 moves each, for two states).
struct HeightDeltas {
    let world: PlanWorld
    let before: SectorHeights
    private var known: [Change: (gained: Int, lost: Int)] = [:]

    /// What a child changed: the sectors, and their heights after.
    private struct Change: Hashable {
        var sectors: [Int]
        var floors: [Double]
        var ceilings: [Double]
        var visits: [[Double]]
        var boardOnly: [Bool]
    }

    init(world: PlanWorld, from before: SectorHeights) {
        self.world = world
        self.before = before
    }

    mutating func delta(to after: SectorHeights, changed: [Int]) -> (gained: Int, lost: Int) {
        guard !changed.isEmpty else { return (0, 0) }
        let change = Change(sectors: changed, floors: changed.map { after.floors[$0] }, ceilings: changed.map { after.ceilings[$0] },
                            visits: changed.map { after.visits[$0] }, boardOnly: changed.map { after.boardOnly[$0] })
        if let found = known[change] { return found }
        let result = world.delta(from: before, to: after, changed: changed)
        known[change] = result
        return result
    }
}
