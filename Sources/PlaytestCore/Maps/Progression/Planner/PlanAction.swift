/// One thing the player does on the way to the exit, and the world it leaves behind.
enum PlanAction: Sendable, Hashable {
    /// Pick up a key lying at a node.
    case pickup(thing: Int, node: Int)
    /// Press USE on a line, standing at its use spot.
    case use(line: Int, node: Int)
    /// Shoot a line from a spot in front of it.
    case shoot(line: Int, node: Int)
    /// Walk an edge that crosses walk-over lines whose specials then take effect.
    case cross(edge: Int, forward: Bool)
    /// Kill every monster of a boss action.
    case kill(boss: Int)
}

/// The world as the planner models it at one point of a route.
struct PlanState: Sendable {
    var heights: SectorHeights
    var keys = KeySet()
    /// Lines whose specials have taken effect (once-only lines are spent; repeatable ones need not repeat).
    var appliedLines = Set<Int>()
    var appliedBosses = Set<Int>()
    /// The node the player stands on.
    var position: Int
    /// The actions taken so far, in order.
    var actions: [PlanAction] = []

    struct Key: Hashable {
        var keys: KeySet
        var lines: Set<Int>
        var bosses: Set<Int>
        var home: Int
    }
}
