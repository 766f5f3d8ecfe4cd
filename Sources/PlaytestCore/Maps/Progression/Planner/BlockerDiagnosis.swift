/// When no route is found: names the place where progression breaks and why, for a designer.
///
/// It takes the best state the search reached, opens every moving sector in thought, and follows the shortest
/// way from there to an exit; the first step of that way that the real state forbids is the break. The movers
/// there say why: a lock whose key is missing on this skill or lies out of reach, a switch that cannot be
/// reached, nothing that opens it, or only a script.
struct BlockerDiagnosis {
    let world: PlanWorld

    struct Finding {
        var verdict: ProgressionPlan.Verdict
        var reason: String
        var blocker: ProgressionPlan.Blocker
    }

    private var model: ProgressionModel { world.model }
    private var graph: NavigationGraph { world.graph }

    func diagnose(best: PlanState, hitBudget: Bool, explored: Int) -> Finding {
        let exits = exitPlaces()
        guard !exits.isEmpty else {
            return Finding(verdict: .blocked, reason: "The map has no exit: no exit line, exit switch or boss whose death ends the level.",
                           blocker: .init(kind: .noExit))
        }
        let relaxed = relaxedHeights(from: best.heights)
        let anyMove: (NavigationGraph.Move) -> Bool = { _ in false }
        // An exit line is crossed from the end of its walk the crossing can start from (with every mover open), not
        // from the end it lands on.
        let crossings = exitCrossings(relaxed)
        let goals = Set(exitSpots()).union(crossings.keys)
        guard let route = RouteFinder.path(in: graph, from: best.position, toAnyOf: goals, heights: relaxed, blocked: anyMove) else {
            let reach = world.reach(best)
            let exitPoint = graph.nodes[exits[0]].point
            let closest = graph.nodes.indices.filter { reach.reaches($0) }
                .min { graph.nodes[$0].point.distance(to: exitPoint) < graph.nodes[$1].point.distance(to: exitPoint) } ?? best.position
            let node = graph.nodes[closest]
            return Finding(verdict: hitBudget ? .unknown : .blocked,
                           reason: "No way leads from the start to the exit at \(exitPoint.label), even with every door and lift open: the reachable area ends near \(node.point.label) (sector \(node.sector)).",
                           blocker: .init(kind: .geometry, x: node.x, y: node.y, sector: node.sector))
        }
        for (from, to) in zip(route, route.dropFirst()) {
            guard let move = graph.outgoing(from).first(where: { $0.target == to && graph.allows($0, heights: relaxed) }) else { continue }
            if graph.allows(move, heights: best.heights) && !world.isPending(move, applied: best.appliedLines) { continue }
            return explain(move: move, best: best, hitBudget: hitBudget, explored: explored)
        }
        if let last = route.last, !exitSpots().contains(last), let crossing = crossings[last],
           !graph.allows(crossing, heights: best.heights) {
            return explain(move: crossing, best: best, hitBudget: hitBudget, explored: explored)
        }
        let node = graph.nodes[route[route.count - 1]]
        return Finding(verdict: .unknown, reason: "The search stopped after \(explored) states without reaching the exit at \(node.point.label).",
                       blocker: .init(kind: .searchLimit, x: node.x, y: node.y, sector: node.sector))
    }

    private func explain(move: NavigationGraph.Move, best: PlanState, hitBudget: Bool, explored: Int) -> Finding {
        let edge = graph.edges[move.edge]
        let sectors = move.forward ? edge.sectors : Array(edge.sectors.reversed())
        let at = graph.nodes[move.forward ? edge.a : edge.b]
        var stuck = sectors[0]
        if let (a, b) = zip(sectors, sectors.dropFirst()).first(where: { !best.heights.allows(from: $0, to: $1) }) {
            stuck = model.movers[b] ? b : a
        } else if let touch = edge.touches.first(where: { !best.heights.allowsTouch(near: $0.near, far: $0.far) }) {
            // Every step fits and the box's touch of a sector beside the way does not (E2M4: the walk from the water
            // to the next room grazes sector 695, a wall that a walk-over line lowers; naming the water misled).
            stuck = model.movers[touch.far] ? touch.far : touch.near
        }
        if hitBudget {
            return Finding(verdict: .unknown, reason: "The search gave up after \(explored) states; the furthest it got ends at \(describe(stuck)).",
                           blocker: .init(kind: .searchLimit, x: at.x, y: at.y, sector: stuck))
        }
        let openers = model.actions.indices.filter { model.actions[$0]?.byPlayer == true && model.targets(ofLine: $0).contains(stuck) }
        let scripts = unmodelledLines()
        guard !openers.isEmpty else {
            if let script = scripts.first {
                return Finding(verdict: .unknown,
                               reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit, and nothing the planner models moves it; line \(script) runs a script or a special it cannot model.",
                               blocker: .init(kind: .unmodelled, x: at.x, y: at.y, sector: stuck, line: script))
            }
            return Finding(verdict: .blocked, reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit, and no switch, line or key opens it.",
                           blocker: .init(kind: .noOpener, x: at.x, y: at.y, sector: stuck))
        }
        let reach = world.reach(best)
        for line in openers {
            guard let action = model.actions[line] else { continue }
            if !action.lock.isOpened(by: best.keys) {
                let keys = keysOnSkill(matching: action.lock)
                let place = "\(describe(stuck)) (line \(line))"
                if keys.isEmpty {
                    return Finding(verdict: .blocked,
                                   reason: "The exit needs \(action.lock.phrase): \(place) is locked, and no such key exists on skill \(model.skill).",
                                   blocker: .init(kind: .lock, x: at.x, y: at.y, sector: stuck, line: line, key: action.lock.name))
                }
                let key = model.map.things[keys[0]]
                let behind = isBehind(key.position, sector: stuck, best: best)
                return Finding(verdict: .blocked,
                               reason: "The exit needs \(action.lock.phrase): \(place) is locked, and the key at \(key.position.label) cannot be reached from the start\(behind ? ": it lies behind the door it opens" : "").",
                               blocker: .init(kind: .lock, x: at.x, y: at.y, sector: stuck, line: line, key: action.lock.name))
            }
            switch action.effect {
            case .script, .unknown: continue
            default: break
            }
            let spots = (graph.useSpots[line] ?? []) + (graph.shootSpots[line] ?? [])
            if action.activation != .walk, !spots.contains(where: { reach.reaches($0) }) {
                let mid = midpoint(line)
                let behind = isBehind(mid, sector: stuck, best: best)
                return Finding(verdict: .blocked,
                               reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit; the switch that opens it (line \(line) at \(mid.label)) cannot be reached\(behind ? ": it is behind the door it opens" : "").",
                               blocker: .init(kind: .switchUnreachable, x: mid.x, y: mid.y, sector: stuck, line: line))
            }
            if action.activation == .walk, !isCrossable(line, best: best, reach: reach) {
                let mid = midpoint(line)
                let behind = isBehind(mid, sector: stuck, best: best)
                return Finding(verdict: .blocked,
                               reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit; the line that opens it when walked over (line \(line) at \(mid.label)) cannot be reached\(behind ? ": it is behind what it opens" : "").",
                               blocker: .init(kind: .switchUnreachable, x: mid.x, y: mid.y, sector: stuck, line: line))
            }
        }
        if let script = scripts.first {
            return Finding(verdict: .unknown,
                           reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit; what opens it is not modelled (line \(script) runs a script or an unknown special).",
                           blocker: .init(kind: .unmodelled, x: at.x, y: at.y, sector: stuck, line: script))
        }
        return Finding(verdict: .blocked,
                       reason: "\(describe(stuck).capitalizedFirst) blocks the way to the exit, and what opens it (line \(openers[0])) does not open a way the player can use.",
                       blocker: .init(kind: .geometry, x: at.x, y: at.y, sector: stuck, line: openers[0]))
    }

    /// Whether some walk across the walk-over line starts where the player gets to and can be taken now.
    private func isCrossable(_ line: Int, best: PlanState, reach: Reachability) -> Bool {
        for (index, lines) in world.pendingLines.enumerated() where lines.contains(line) {
            let edge = graph.edges[index]
            for forward in [true, false] where reach.reaches(forward ? edge.a : edge.b) {
                let move = NavigationGraph.Move(edge: index, forward: forward, target: forward ? edge.b : edge.a)
                if graph.allows(move, heights: best.heights) { return true }
            }
        }
        return false
    }

    /// Lines whose specials the planner cannot model (scripts, unknown specials), in line order.
    func unmodelledLines() -> [Int] {
        model.actions.indices.filter { line in
            switch model.actions[line]?.effect {
            case .script, .unknown: return model.actions[line]?.byPlayer ?? false
            default: return false
            }
        }
    }

    // MARK: Helpers

    /// Nodes where an exit is set off: exit switch and gun spots, the near side of exit lines, boss spots.
    /// The exit switch and gun spots and the boss spots: nodes where the exit is set off without a walk.
    func exitSpots() -> [Int] {
        var places: [Int] = []
        for line in model.actions.indices where world.isExitLine(line) {
            places += (graph.useSpots[line] ?? []) + (graph.shootSpots[line] ?? [])
        }
        for boss in model.bossActions where boss.outcome == .exit { places += boss.monsters.flatMap { graph.thingNodes[$0] ?? [] } }
        return places
    }

    /// Per node a walk across an exit line can start from with these heights: that walk.
    func exitCrossings(_ heights: SectorHeights) -> [Int: NavigationGraph.Move] {
        var crossings: [Int: NavigationGraph.Move] = [:]
        for (index, lines) in world.pendingLines.enumerated() where lines.contains(where: world.isExitLine) {
            let edge = graph.edges[index]
            for forward in [true, false] {
                let from = forward ? edge.a : edge.b
                let move = NavigationGraph.Move(edge: index, forward: forward, target: forward ? edge.b : edge.a)
                if crossings[from] == nil, graph.allows(move, heights: heights) { crossings[from] = move }
            }
        }
        return crossings
    }

    private func exitPlaces() -> [Int] {
        var places: [Int] = []
        for line in model.actions.indices where world.isExitLine(line) {
            places += (graph.useSpots[line] ?? []) + (graph.shootSpots[line] ?? [])
        }
        for (index, lines) in world.pendingLines.enumerated() where lines.contains(where: world.isExitLine) {
            places.append(graph.edges[index].a)
            places.append(graph.edges[index].b)
        }
        for boss in model.bossActions where boss.outcome == .exit { places += boss.monsters.flatMap { graph.thingNodes[$0] ?? [] } }
        return places
    }

    /// Heights with every moving sector open (but those `keeping` their heights): ceilings raised, floors at any
    /// neighbour's height.
    func relaxedHeights(from heights: SectorHeights, keeping kept: Set<Int> = []) -> SectorHeights {
        var relaxed = heights
        for sector in 0..<relaxed.count where model.movers[sector] && !kept.contains(sector) {
            relaxed.setCeiling(sector, max(relaxed.ceilings[sector], 32767))
            for neighbour in model.neighbours[sector] { relaxed.addVisit(sector, relaxed.floors[neighbour]) }
        }
        return relaxed
    }

    /// Whether a point is reachable only through the sector (with every other mover open).
    private func isBehind(_ point: MapPoint, sector: Int, best: PlanState) -> Bool {
        var relaxed = relaxedHeights(from: best.heights)
        relaxed.setCeiling(sector, relaxed.floors[sector])
        guard let node = graph.nearestNode(to: point) else { return false }
        return RouteFinder.path(in: graph, from: best.position, to: node, heights: relaxed, blocked: { _ in false }) == nil
    }

    private func keysOnSkill(matching lock: Lock) -> [Int] {
        model.things.filter { thing in
            guard let key = GameKey(thingType: model.map.things[thing].type) else { return false }
            return lock.isOpened(by: KeySet().inserting(key)) || lock == .allSix || lock == .allColors
        }
    }

    private func describe(_ sector: Int) -> String {
        let kinds = model.actions.indices.compactMap { line -> String? in
            guard let action = model.actions[line], model.targets(ofLine: line).contains(sector) else { return nil }
            switch action.effect {
            case .door: return "door"
            case .lift: return "lift"
            default: return nil
            }
        }
        let center = graph.nodes.first { $0.sector == sector }?.point ?? model.geometry.sectorPolygons[sector].loops.first?.points.first ?? MapPoint(x: 0, y: 0)
        return "the \(kinds.first ?? "sector") \(sector) near \(center.label)"
    }

    private func midpoint(_ line: Int) -> MapPoint {
        guard let (a, b) = model.lineEnds[line] else { return MapPoint(x: 0, y: 0) }
        return MapPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }


}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
