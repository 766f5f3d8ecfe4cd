/// The rules of the planner's world: what the player can reach, which actions are available there, what each
/// action changes, and whether a change only opens ways (monotone) or also closes some.
struct PlanWorld {
    let model: ProgressionModel
    let graph: NavigationGraph
    let effects: HeightEffects
    /// Per edge: the walk-over lines it crosses whose specials matter (they move sectors or end the level).
    let pendingLines: [[Int]]
    /// Moves over edges with pending lines, with the node they start from: one per kind (`NavigationGraph.moveKinds`)
    /// and pair of areas.
    let pendingMoves: [(from: Int, move: NavigationGraph.Move)]
    /// Per edge: whether `pendingLines` is not empty (the common case, no, costs one lookup).
    let hasPendingLines: [Bool]
    /// Per sector: the moves between areas (one per kind) whose passability depends on it.
    let movesBySector: [[NavigationGraph.Move]]
    /// Sectors some use or shot passes through (`NavigationGraph.through`).
    let sightSectors: [Bool]
    /// The sector each key lies in.
    let thingSectors: [Int: Int]
    /// The keys, and the lines worth using or shooting (their special moves sectors or ends the level), with their spots
    /// and the doors a use from each spot passes through, in line order.
    let keyThings: [(thing: Int, key: GameKey, nodes: [Int])]
    let useLines: [(line: Int, lock: Lock, spots: [(node: Int, through: [Int])])]
    let shootLines: [(line: Int, lock: Lock, spots: [(node: Int, through: [Int])])]
    /// Per line: whether its special ends the level, and whether it is the secret exit.
    let exitLines: [Bool]
    let secretExitLines: [Bool]
    /// Per sector: the sectors a monster may walk into from it (over two-sided lines that block neither everything
    /// nor monsters), for whether a monster can reach a monster teleporter.
    let monsterNeighbours: [[Int]]
    /// Per sector on the front of a monster-only teleporter: the sectors behind its lines (a monster sets it off by
    /// stepping across from the front).
    let monsterTeleportCrossings: [Int: [Int]]

    init(model: ProgressionModel, graph: NavigationGraph) {
        self.model = model
        self.graph = graph
        effects = HeightEffects(model: model)
        let significant: [Bool] = model.actions.indices.map { line in
            guard let action = model.actions[line], action.byPlayer, action.activation == .walk else { return false }
            if case .exit = action.effect { return true }
            return action.effect.movesSectors && !model.targets(ofLine: line).isEmpty
        }
        // By index: `map` would copy every edge (retaining its arrays) to read one field.
        let pending = graph.edges.indices.map { index -> [Int] in
            graph.edges[index].triggerLines.isEmpty ? [] : graph.edges[index].triggerLines.filter { significant[$0] }
        }
        pendingLines = pending
        hasPendingLines = pending.map { !$0.isEmpty }
        struct Kind: Hashable { var from: Int, to: Int, kind: Int }
        var seenKinds = Set<Kind>()
        var pendingMoves: [(from: Int, move: NavigationGraph.Move)] = []
        for index in graph.edges.indices where !pending[index].isEmpty {
            let edge = graph.edges[index]
            for forward in [true, false] {
                let (from, to) = forward ? (edge.a, edge.b) : (edge.b, edge.a)
                guard seenKinds.insert(Kind(from: graph.area[from], to: graph.area[to], kind: graph.moveKinds[2 * index + (forward ? 0 : 1)])).inserted
                else { continue }
                pendingMoves.append((from, NavigationGraph.Move(edge: index, forward: forward, target: to)))
            }
        }
        self.pendingMoves = pendingMoves
        var bySector = [[NavigationGraph.Move]](repeating: [], count: model.map.sectors.count)
        for move in graph.areaOutgoing.moves where move.edge < graph.edges.count && graph.isDynamic(move.edge) {
            let edge = graph.edges[move.edge]
            var sectors = edge.sectors
            for touch in edge.touches { sectors += [touch.near, touch.far] }
            for sector in Set(sectors) { bySector[sector].append(move) }
        }
        movesBySector = bySector
        var sight = [Bool](repeating: false, count: model.map.sectors.count)
        for byNode in graph.through.values { for doors in byNode.values { for door in doors { sight[door] = true } } }
        sightSectors = sight
        var thingSectors: [Int: Int] = [:]
        for thing in graph.thingNodes.keys { thingSectors[thing] = model.geometry.sector(at: model.map.things[thing].position) }
        self.thingSectors = thingSectors
        keyThings = graph.thingNodes.keys.sorted().compactMap { thing in
            GameKey(thingType: model.map.things[thing].type).map { (thing, $0, graph.thingNodes[thing] ?? []) }
        }
        func worth(_ line: Int) -> Lock? {
            guard let action = model.actions[line], action.byPlayer else { return nil }
            switch action.effect {
            case .exit: return action.lock
            default: return action.effect.movesSectors && !model.targets(ofLine: line).isEmpty ? action.lock : nil
            }
        }
        func lines(_ spots: [Int: [Int]]) -> [(line: Int, lock: Lock, spots: [(node: Int, through: [Int])])] {
            spots.keys.sorted().compactMap { line in
                worth(line).map { lock in (line, lock, (spots[line] ?? []).map { ($0, graph.through[line]?[$0] ?? []) }) }
            }
        }
        useLines = lines(graph.useSpots)
        shootLines = lines(graph.shootSpots)
        exitLines = model.actions.map { if case .exit = $0?.effect { return true } else { return false } }
        secretExitLines = model.actions.map { if case .exit(secret: true) = $0?.effect { return true } else { return false } }
        var monsterLinks = [Set<Int>](repeating: [], count: model.map.sectors.count)
        for line in model.map.linedefs where line.flags & (Linedef.blockingFlag | Self.blockMonstersFlag) == 0 {
            guard let front = model.map.sector(ofSide: line.frontSide), let back = model.map.sector(ofSide: line.backSide),
                  front != back else { continue }
            monsterLinks[front].insert(back)
            monsterLinks[back].insert(front)
        }
        monsterNeighbours = monsterLinks.map { $0.sorted() }
        var crossings: [Int: [Int]] = [:]
        for (index, action) in model.actions.enumerated() {
            guard let action, !action.byPlayer, case .teleport = action.effect else { continue }
            let line = model.map.linedefs[index]
            guard let front = model.map.sector(ofSide: line.frontSide) else { continue }
            crossings[front, default: []].append(model.map.sector(ofSide: line.backSide) ?? front)
        }
        monsterTeleportCrossings = crossings
    }

    /// Doom's "blocks monsters" line flag.
    static let blockMonstersFlag = 0x0002

    var initialHeights: SectorHeights { SectorHeights(map: model.map) }

    /// Whether a move crosses a significant walk-over line whose special has not taken effect.
    @inline(__always)
    func isPending(_ move: NavigationGraph.Move, applied: Set<Int>) -> Bool {
        guard move.edge < hasPendingLines.count, hasPendingLines[move.edge] else { return false }
        return pendingLines[move.edge].contains { !applied.contains($0) }
    }

    func reach(_ state: PlanState) -> Reachability {
        Reachability(graph: graph, from: state.position, heights: state.heights) { isPending($0, applied: state.appliedLines) }
    }

    /// Where the player can walk, without where it can come back from (`Reachability.reaches` only).
    func reachOnly(_ state: PlanState) -> Reachability {
        Reachability(graph: graph, from: state.position, heights: state.heights, returns: false) {
            isPending($0, applied: state.appliedLines)
        }
    }

    // MARK: Actions

    /// Actions available from what the player can reach: keys not held, switches and gun targets whose
    /// specials have not taken effect, pending walk-over crossings, and boss kills.
    func candidates(_ state: PlanState, _ reach: Reachability) -> [PlanAction] {
        var result: [PlanAction] = []
        for (thing, key, nodes) in keyThings where !state.keys.contains(key) {
            guard let node = nodes.first(where: { reach.reaches($0) && canTouch(thing, from: $0, state.heights) }) else { continue }
            result.append(.pickup(thing: thing, node: node))
        }
        for (line, lock, spots) in useLines where !state.appliedLines.contains(line) && lock.isOpened(by: state.keys) {
            if let spot = spots.first(where: { canAct(from: $0, state, reach) }) { result.append(.use(line: line, node: spot.node)) }
        }
        for (line, lock, spots) in shootLines where !state.appliedLines.contains(line) && lock.isOpened(by: state.keys) {
            if let spot = spots.first(where: { canAct(from: $0, state, reach) }) { result.append(.shoot(line: line, node: spot.node)) }
        }
        var seen = Set<[Int]>()
        for (from, move) in pendingMoves where reach.reaches(from) {
            guard isPending(move, applied: state.appliedLines), graph.allows(move, heights: state.heights) else { continue }
            // One crossing per set of lines and area landed in is enough.
            let lines = pendingLines[move.edge].filter { !state.appliedLines.contains($0) }
            if seen.insert(lines + [-1 - graph.area[move.target]]).inserted {
                result.append(.cross(edge: move.edge, forward: move.forward))
            }
        }
        for (index, boss) in model.bossActions.enumerated() where !state.appliedBosses.contains(index) {
            if let node = firingNode(boss, state, reach) { result.append(.kill(boss: index, node: node)) }
        }
        return result
    }

    /// Whether the player can take the action now (replaying a route): its place is reachable, its lock open.
    func isAvailable(_ action: PlanAction, _ state: PlanState, _ reach: Reachability) -> Bool {
        switch action {
        case .pickup(let thing, let node): return reach.reaches(node) && canTouch(thing, from: node, state.heights)
        case .use(let line, let node), .shoot(let line, let node):
            return canAct(line, from: node, state, reach) && (model.actions[line]?.lock.isOpened(by: state.keys) ?? false)
        case .cross(let edge, let forward):
            let e = graph.edges[edge]
            let move = NavigationGraph.Move(edge: edge, forward: forward, target: forward ? e.b : e.a)
            return reach.reaches(forward ? e.a : e.b) && graph.allows(move, heights: state.heights)
        case .kill(_, let node):
            return reach.reaches(node)
        }
    }

    /// Whether the player standing on the node touches the item with these heights.
    func canTouch(_ thing: Int, from node: Int, _ heights: SectorHeights) -> Bool {
        guard let itemSector = thingSectors[thing] else { return false }
        return heights.canTouchItem(from: graph.nodes[node].sector, itemSector: itemSector)
    }

    /// The spot is reachable and every door between it and the line is open.
    private func canAct(_ line: Int, from spot: Int, _ state: PlanState, _ reach: Reachability) -> Bool {
        canAct(from: (spot, graph.through[line]?[spot] ?? []), state, reach)
    }

    @inline(__always)
    private func canAct(from spot: (node: Int, through: [Int]), _ state: PlanState, _ reach: Reachability) -> Bool {
        guard reach.reaches(spot.node) else { return false }
        return spot.through.allSatisfy { state.heights.ceilings[$0] > state.heights.floors[$0] }
    }

    /// Where the player fights a boss action's monsters, nil when one of them cannot be fought: each must be in
    /// sight of a reachable node, or wait behind a monster teleporter that brings it out to the player.
    private func firingNode(_ boss: BossAction, _ state: PlanState, _ reach: Reachability) -> Int? {
        var node: Int?
        for monster in boss.monsters {
            if let seen = (graph.thingNodes[monster] ?? []).first(where: { reach.reaches($0) }) {
                node = node ?? seen
                continue
            }
            guard let sector = model.geometry.sector(at: model.map.things[monster].position),
                  canReachMonsterTeleporter(from: sector, state.heights) else { return nil }
        }
        return node ?? state.position
    }

    /// Whether a monster in the sector can walk (with these heights, by the player's step and headroom rule) to a
    /// sector on a monster teleporter's line: a monster shut in a closet comes out only once the closet opens.
    private func canReachMonsterTeleporter(from sector: Int, _ heights: SectorHeights) -> Bool {
        var seen: Set<Int> = [sector]
        var queue = [sector]
        while let here = queue.popLast() {
            if let behind = monsterTeleportCrossings[here], behind.contains(where: { $0 == here || heights.allows(from: here, to: $0) }) {
                return true
            }
            for next in monsterNeighbours[here] where !seen.contains(next) && heights.allows(from: here, to: next) {
                seen.insert(next)
                queue.append(next)
            }
        }
        return false
    }

    /// Whether an action ends the level.
    func isExit(_ action: PlanAction) -> Bool {
        switch action {
        case .use(let line, _), .shoot(let line, _): return isExitLine(line)
        case .cross(let edge, _): return pendingLines[edge].contains(where: isExitLine)
        case .kill(let boss, _): return model.bossActions[boss].outcome == .exit
        case .pickup: return false
        }
    }

    func isExitLine(_ line: Int) -> Bool { exitLines[line] }

    func isSecretExit(_ action: PlanAction) -> Bool {
        let lines: [Int]
        switch action {
        case .use(let line, _), .shoot(let line, _): lines = [line]
        case .cross(let edge, _): lines = pendingLines[edge]
        default: return false
        }
        return lines.contains { secretExitLines[$0] }
    }

    /// Where the player stands to take the action, and where it ends up.
    func place(of action: PlanAction) -> (at: Int, landing: Int) {
        switch action {
        case .pickup(_, let node), .use(_, let node), .shoot(_, let node): return (node, node)
        case .cross(let edge, let forward):
            let e = graph.edges[edge]
            return forward ? (e.a, e.b) : (e.b, e.a)
        case .kill(_, let node):
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
        case .kill(let boss, _):
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

    /// Moves (both directions of edges through the changed sectors) that the change brought closer to possible (fewer
    /// forbidden steps, or as many but nearer to allowed: `NavigationGraph.shortfall`) and that it closed; a door
    /// that a use or a shot must pass through counts as a gain when it opens and a loss when it closes.
    func delta(from before: SectorHeights, to after: SectorHeights, changed: [Int]) -> (gained: Int, lost: Int) {
        var gained = 0, lost = 0
        var seen = Set<Int>()   // moves through several changed sectors count once
        let several = Set(changed).count > 1
        for sector in Set(changed) {
            if sightSectors[sector] {
                let was = before.ceilings[sector] > before.floors[sector], now = after.ceilings[sector] > after.floors[sector]
                if now && !was { gained += 1 }
                if was && !now { lost += 1 }
            }
            for move in movesBySector[sector] where !several || seen.insert(2 * move.edge + (move.forward ? 0 : 1)).inserted {
                let was = graph.violations(move, heights: before), now = graph.violations(move, heights: after)
                if now < was || (now == was && now > 0
                                 && graph.shortfall(move, heights: after) < graph.shortfall(move, heights: before)) { gained += 1 }
                if was == 0 && now > 0 { lost += 1 }
            }
        }
        return (gained, lost)
    }
}
