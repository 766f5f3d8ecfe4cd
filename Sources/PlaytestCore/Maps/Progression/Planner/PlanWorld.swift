/// The rules of the planner's world: what the player can reach, which actions are available there, what each
/// action changes, and whether a change only opens ways (monotone) or also closes some.
struct PlanWorld {
    let model: ProgressionModel
    let graph: NavigationGraph
    let effects: HeightEffects
    /// Per edge: the walk-over lines it crosses whose specials matter (they move sectors or end the level).
    let pendingLines: [[Int]]
    /// Per sector: the edges passing through it.
    let edgesBySector: [[Int]]

    init(model: ProgressionModel, graph: NavigationGraph) {
        self.model = model
        self.graph = graph
        effects = HeightEffects(model: model)
        let significant: [Bool] = model.actions.indices.map { line in
            guard let action = model.actions[line], action.byPlayer, action.activation == .walk else { return false }
            if case .exit = action.effect { return true }
            return action.effect.movesSectors && !model.targets(ofLine: line).isEmpty
        }
        pendingLines = graph.edges.map { $0.triggerLines.filter { significant[$0] } }
        var bySector = [[Int]](repeating: [], count: model.map.sectors.count)
        for (index, edge) in graph.edges.enumerated() {
            for sector in Set(edge.sectors + edge.touches.flatMap { [$0.near, $0.far] }) { bySector[sector].append(index) }
        }
        edgesBySector = bySector
    }

    var initialHeights: SectorHeights { SectorHeights(map: model.map) }

    /// Whether a move crosses a significant walk-over line whose special has not taken effect.
    func isPending(_ move: NavigationGraph.Move, applied: Set<Int>) -> Bool {
        guard move.edge < pendingLines.count else { return false }
        let lines = pendingLines[move.edge]
        return !lines.isEmpty && lines.contains { !applied.contains($0) }
    }

    func reach(_ state: PlanState) -> Reachability {
        Reachability(graph: graph, from: state.position, heights: state.heights) { isPending($0, applied: state.appliedLines) }
    }

    // MARK: Actions

    /// Actions available from what the player can reach: keys not held, switches and gun targets whose
    /// specials have not taken effect, pending walk-over crossings, and boss kills.
    func candidates(_ state: PlanState, _ reach: Reachability) -> [PlanAction] {
        var result: [PlanAction] = []
        for (thing, node) in graph.thingNodes.sorted(by: { $0.key < $1.key }) where reach.reached[node] {
            if let key = GameKey(thingType: model.map.things[thing].type), !state.keys.contains(key) {
                result.append(.pickup(thing: thing, node: node))
            }
        }
        for (line, spots) in graph.useSpots.sorted(by: { $0.key < $1.key }) where isUsable(line, state) {
            if let spot = spots.first(where: { reach.reached[$0] }) { result.append(.use(line: line, node: spot)) }
        }
        for (line, spots) in graph.shootSpots.sorted(by: { $0.key < $1.key }) where isUsable(line, state) {
            if let spot = spots.first(where: { reach.reached[$0] }) { result.append(.shoot(line: line, node: spot)) }
        }
        var seen = Set<Int>()
        for node in reach.order {
            for move in graph.outgoing[node] where move.edge < graph.edges.count && !pendingLines[move.edge].isEmpty {
                guard isPending(move, applied: state.appliedLines), graph.allows(move, heights: state.heights) else { continue }
                // One crossing per set of lines is enough: the first found is the nearest in walking order.
                let key = pendingLines[move.edge].filter { !state.appliedLines.contains($0) }.hashValue
                if seen.insert(key).inserted { result.append(.cross(edge: move.edge, forward: move.forward)) }
            }
        }
        for (index, boss) in model.bossActions.enumerated() where !state.appliedBosses.contains(index) {
            if boss.monsters.allSatisfy({ graph.thingNodes[$0].map { reach.reached[$0] } ?? false }) { result.append(.kill(boss: index)) }
        }
        return result
    }

    /// Whether the player can take the action now (replaying a route): its place is reachable, its lock open.
    func isAvailable(_ action: PlanAction, _ state: PlanState, _ reach: Reachability) -> Bool {
        switch action {
        case .pickup(_, let node): return reach.reached[node]
        case .use(let line, let node), .shoot(let line, let node):
            return reach.reached[node] && (model.actions[line]?.lock.isOpened(by: state.keys) ?? false)
        case .cross(let edge, let forward):
            let e = graph.edges[edge]
            let move = NavigationGraph.Move(edge: edge, forward: forward, target: forward ? e.b : e.a)
            return reach.reached[forward ? e.a : e.b] && graph.allows(move, heights: state.heights)
        case .kill(let boss):
            return model.bossActions[boss].monsters.allSatisfy { graph.thingNodes[$0].map { reach.reached[$0] } ?? false }
        }
    }

    /// A use or gun line whose special matters, has not taken effect, and whose lock the player can open.
    private func isUsable(_ line: Int, _ state: PlanState) -> Bool {
        guard let action = model.actions[line], action.byPlayer, !state.appliedLines.contains(line),
              action.lock.isOpened(by: state.keys) else { return false }
        switch action.effect {
        case .exit: return true
        default: return action.effect.movesSectors && !model.targets(ofLine: line).isEmpty
        }
    }

    /// Whether an action ends the level.
    func isExit(_ action: PlanAction) -> Bool {
        switch action {
        case .use(let line, _), .shoot(let line, _): return isExitLine(line)
        case .cross(let edge, _): return pendingLines[edge].contains(where: isExitLine)
        case .kill(let boss): return model.bossActions[boss].outcome == .exit
        case .pickup: return false
        }
    }

    func isExitLine(_ line: Int) -> Bool {
        if case .exit = model.actions[line]?.effect { return true }
        return false
    }

    func isSecretExit(_ action: PlanAction) -> Bool {
        let lines: [Int]
        switch action {
        case .use(let line, _), .shoot(let line, _): lines = [line]
        case .cross(let edge, _): lines = pendingLines[edge]
        default: return false
        }
        return lines.contains { if case .exit(secret: true) = model.actions[$0]?.effect { return true } else { return false } }
    }

    /// Where the player stands to take the action, and where it ends up.
    func place(of action: PlanAction) -> (at: Int, landing: Int) {
        switch action {
        case .pickup(_, let node), .use(_, let node), .shoot(_, let node): return (node, node)
        case .cross(let edge, let forward):
            let e = graph.edges[edge]
            return forward ? (e.a, e.b) : (e.b, e.a)
        case .kill(let boss):
            let node = model.bossActions[boss].monsters.compactMap { graph.thingNodes[$0] }.first ?? 0
            return (node, node)
        }
    }

    /// The state after the action, and the sectors whose heights changed.
    func apply(_ action: PlanAction, to state: PlanState) -> (PlanState, [Int]) {
        var next = state
        var changed: [Int] = []
        switch action {
        case .pickup(let thing, _):
            if let key = GameKey(thingType: model.map.things[thing].type) { next.keys.insert(key) }
        case .use(let line, _), .shoot(let line, _):
            changed = applyLine(line, to: &next)
        case .cross(let edge, _):
            for line in pendingLines[edge] where !next.appliedLines.contains(line) { changed += applyLine(line, to: &next) }
        case .kill(let boss):
            next.appliedBosses.insert(boss)
            if case .sectors(let tag, let effect) = model.bossActions[boss].outcome {
                changed = effects.apply(effect, to: model.sectorsByTag[tag] ?? [], heights: &next.heights)
            }
        }
        next.position = place(of: action).landing
        next.actions.append(action)
        return (next, changed)
    }

    private func applyLine(_ line: Int, to state: inout PlanState) -> [Int] {
        state.appliedLines.insert(line)
        guard let action = model.actions[line] else { return [] }
        return effects.apply(action.effect, to: model.targets(ofLine: line), heights: &state.heights)
    }

    /// Moves (both directions of edges through the changed sectors) that the change opened and closed.
    func delta(from before: SectorHeights, to after: SectorHeights, changed: [Int]) -> (gained: Int, lost: Int) {
        var gained = 0, lost = 0
        var seen = Set<Int>()
        for sector in changed {
            for edge in edgesBySector[sector] where seen.insert(edge).inserted {
                let e = graph.edges[edge]
                for forward in [true, false] {
                    let move = NavigationGraph.Move(edge: edge, forward: forward, target: forward ? e.b : e.a)
                    let was = graph.allows(move, heights: before), now = graph.allows(move, heights: after)
                    if now && !was { gained += 1 }
                    if was && !now { lost += 1 }
                }
            }
        }
        return (gained, lost)
    }
}
