/// The search for a route to the exit over states (keys held, specials that took effect, where the player is).
///
/// From each state it first takes every safe action (one that only opens ways, done where the player can come
/// back from) until nothing changes; if an exit is then reachable, the route is found. Otherwise it branches on
/// the remaining useful actions: those that also close ways, and those that lead somewhere the player cannot
/// return from (a drop, a teleporter). States already seen are skipped; the search stops after `budget` states.
struct ProgressionSearch {
    let world: PlanWorld
    var budget = 4000
    /// Receives one line per search event (`playtest plan --trace`).
    var trace: (@Sendable (String) -> Void)?

    enum Outcome {
        case found(actions: [PlanAction], exit: PlanAction, explored: Int, final: PlanState)
        case exhausted(best: PlanState, explored: Int, hitBudget: Bool)
    }

    func run(from start: Int) -> Outcome {
        let initial = PlanState(heights: world.initialHeights, position: start)
        var stack = [initial]
        var visited = Set<PlanState.Key>()
        var best: (state: PlanState, reached: Int)?
        var explored = 0
        while let popped = stack.popLast() {
            guard explored < budget else {
                return .exhausted(best: best?.state ?? initial, explored: explored, hitBudget: true)
            }
            explored += 1
            var state = popped
            let (reach, exit) = close(&state)
            trace?("state \(explored): at node \(state.position), keys \(state.keys.keys.map(\.name)), \(state.actions.count) actions, reach \(reach.count), home \(reach.homeKey)")
            if let exit { return .found(actions: state.actions, exit: exit, explored: explored, final: state) }
            if best == nil || reach.count > best?.reached ?? 0 { best = (state, reach.count) }
            let key = PlanState.Key(keys: state.keys, lines: state.appliedLines, bosses: state.appliedBosses, home: reach.homeKey)
            guard visited.insert(key).inserted else { continue }
            var children: [(score: Int, state: PlanState)] = []
            var deltas = HeightDeltas(world: world, from: state.heights)
            for action in world.candidates(state, reach) {
                let (child, changed) = world.apply(action, to: state)
                let (gained, _) = deltas.delta(to: child.heights, changed: changed)
                let isKey = if case .pickup = action { true } else { false }
                let isCross = if case .cross = action { true } else { false }
                guard gained > 0 || isKey || isCross else { continue }
                trace?("  branch \(action) gains \(gained)")
                children.append((isKey ? 1_000_000 : gained, child))
            }
            // Depth first, most promising last so it is popped first.
            stack.append(contentsOf: children.sorted { $0.score < $1.score }.map(\.state))
        }
        return .exhausted(best: best?.state ?? initial, explored: explored, hitBudget: false)
    }

    /// Takes safe actions until none is left; returns the final reach and an exit action if one is reachable
    /// (a normal exit is preferred to a secret one).
    func close(_ state: inout PlanState) -> (Reachability, PlanAction?) {
        while true {
            let reach = world.reach(state)
            let candidates = world.candidates(state, reach)
            let exits = candidates.filter(world.isExit)
            if let exit = exits.first(where: { !world.isSecretExit($0) }) ?? exits.first { return (reach, exit) }
            // Every safe action of this round is taken: they only open ways, so the others stay available.
            var progressed = false
            var deltas = HeightDeltas(world: world, from: state.heights)
            for action in candidates where reach.isHome(world.place(of: action).at) {
                if progressed, case .cross(let edge, _) = action,
                   world.pendingLines[edge].allSatisfy(state.appliedLines.contains) { continue }
                let (next, changed) = world.apply(action, to: state)
                let (gained, lost) = deltas.delta(to: next.heights, changed: changed)
                guard lost == 0 else { continue }
                switch action {
                case .pickup:
                    break
                case .cross:
                    // Safe when the player can walk back home from where the crossing lands.
                    let back = world.reachOnly(next)
                    guard back.reaches(state.position) else { continue }
                case .use, .shoot, .kill:
                    guard gained > 0 else { continue }
                }
                trace?("  safe \(action) gains \(gained)")
                var moved = next
                moved.position = state.position   // the player comes back home
                state = moved
                deltas = HeightDeltas(world: world, from: state.heights)
                progressed = true
            }
            if !progressed { return (reach, nil) }
        }
    }

    /// Replays actions from the start: whether each is reachable when its turn comes (its lock open) and the
    /// exit is reachable at the end. Used to drop actions a route does not need.
    func replays(_ actions: [PlanAction], exit: PlanAction, from start: Int) -> Bool {
        replays(actions, exit: exit, from: PlanState(heights: world.initialHeights, position: start))
    }

    /// The actions a route needs: first the ones the exit depends on (walking backwards, an action counts when
    /// a later needed walk passes a sector it moved, a later needed use looks through a door it opened, or it
    /// picks up a key a later lock needs), then dropping the rest one at a time while the route still replays.
    func prune(_ actions: [PlanAction], exit: PlanAction, from start: Int) -> [PlanAction] {
        var kept = relevant(actions, exit: exit, from: start)
        if !replays(kept, exit: exit, from: start) { kept = actions }
        // The state before each kept action: dropping action k changes nothing before it, so a trial replays only
        // from k on; going from the last action to the first, the states before k stay valid after a drop.
        var before: [PlanState] = []
        var state = PlanState(heights: world.initialHeights, position: start)
        for action in kept {
            before.append(state)
            state = world.apply(action, to: state).0
        }
        var index = kept.count - 1
        while index >= 0 {
            if replays(Array(kept[(index + 1)...]), exit: exit, from: before[index]) { kept.remove(at: index) }
            index -= 1
        }
        return kept
    }

    /// Replays actions from a state: whether each is available when its turn comes and the exit is at the end.
    private func replays(_ actions: [PlanAction], exit: PlanAction, from initial: PlanState) -> Bool {
        var state = initial
        for action in actions + [exit] {
            let reach = world.reachOnly(state)
            guard world.isAvailable(action, state, reach) else { return false }
            if action == exit { return true }
            state = world.apply(action, to: state).0
        }
        return false
    }

    private func relevant(_ actions: [PlanAction], exit: PlanAction, from start: Int) -> [PlanAction] {
        let all = actions + [exit]
        var states: [PlanState] = []
        var changes: [Set<Int>] = []
        var state = PlanState(heights: world.initialHeights, position: start)
        for action in all {
            states.append(state)
            let (next, changed) = world.apply(action, to: state)
            changes.append(Set(changed))
            state = next
        }
        var neededSectors = Set<Int>()
        var neededKeys = Set<KeyColor>()
        var keep = [Bool](repeating: false, count: all.count)
        keep[all.count - 1] = true
        for k in stride(from: all.count - 1, through: 0, by: -1) {
            let action = all[k]
            if !keep[k] {
                switch action {
                case .pickup(let thing, _):
                    keep[k] = GameKey(thingType: world.model.map.things[thing].type).map { neededKeys.contains($0.color) } ?? false
                default:
                    keep[k] = !changes[k].isDisjoint(with: neededSectors)
                }
            }
            guard keep[k] else { continue }
            let before = states[k]
            let at = world.place(of: action).at
            let applied = before.appliedLines
            let path = RouteFinder.path(in: world.graph, from: before.position, to: at, heights: before.heights) {
                world.isPending($0, applied: applied)
            } ?? []
            for (a, b) in zip(path, path.dropFirst()) {
                guard let move = world.graph.outgoing(a).first(where: { $0.target == b }), move.edge < world.graph.edges.count else { continue }
                let edge = world.graph.edges[move.edge]
                neededSectors.formUnion(edge.sectors)
                neededSectors.formUnion(edge.touches.map(\.far))
            }
            switch action {
            case .use(let line, let node), .shoot(let line, let node):
                neededSectors.formUnion(world.graph.through[line]?[node] ?? [])
                if let lock = world.model.actions[line]?.lock, lock != .none { neededKeys.formUnion(Self.colors(of: lock)) }
            case .cross(let edge, _):
                neededSectors.formUnion(world.graph.edges[edge].sectors)
            default:
                break
            }
        }
        return actions.indices.filter { keep[$0] }.map { actions[$0] }
    }

    private static func colors(of lock: Lock) -> [KeyColor] {
        switch lock {
        case .color(let color), .card(let color), .skull(let color): return [color]
        default: return KeyColor.allCases
        }
    }
}
