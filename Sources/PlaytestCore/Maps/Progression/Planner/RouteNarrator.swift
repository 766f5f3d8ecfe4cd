/// Turns a found route (actions and the exit) into the plan's steps: where to stand, the path walked to get
/// there, what to face, the live heights that show it worked, and a sentence for a designer.
struct RouteNarrator {
    let world: PlanWorld

    private var model: ProgressionModel { world.model }
    private var graph: NavigationGraph { world.graph }

    func steps(actions: [PlanAction], exit: PlanAction, from start: Int) -> [PlanStep] {
        var state = PlanState(heights: world.initialHeights, position: start)
        var steps: [PlanStep] = []
        // The leaps by their ends (they are taken from `a` only), for the notes.
        var leaps: [[Int]: NavigationGraph.Edge] = [:]
        for index in graph.edges.indices where graph.edges[index].leap {   // by index: a loop over edges copies each
            let edge = graph.edges[index]
            leaps[[edge.a, edge.b]] = edge
        }
        for action in actions + [exit] {
            let (at, landing) = world.place(of: action)
            let applied = state.appliedLines
            let path = RouteFinder.path(in: graph, from: state.position, to: at, heights: state.heights) {
                world.isPending($0, applied: applied)
            } ?? [state.position, at]
            let (next, changed) = world.apply(action, to: state)
            var step = step(for: action, at: at, landing: landing, path: path, before: state.heights, after: next.heights,
                            changed: changed, isExit: action == exit)
            // The leaps walked to the step's place, and the one that is the step itself (E2M4's walk-over line
            // 1648 is crossed in the air, at the end of a leap).
            var walked = zip(path, path.dropFirst()).map { [$0, $1] }
            if case .cross(let edge, _) = action, graph.edges[edge].leap { walked.append([graph.edges[edge].a, graph.edges[edge].b]) }
            for ends in walked where leaps[ends] != nil {
                let (a, b) = (graph.nodes[ends[0]], graph.nodes[ends[1]])
                step.note += " On the way, a running leap over the pit from \(a.point.label) to \(b.point.label)."
                step.leaps = (step.leaps ?? []) + [[a.x, a.y, b.x, b.y]]
            }
            steps.append(step)
            state = next
        }
        return steps
    }

    private func step(for action: PlanAction, at: Int, landing: Int, path: [Int], before: SectorHeights, after: SectorHeights,
                      changed: [Int], isExit: Bool) -> PlanStep {
        let node = graph.nodes[at]
        var step = PlanStep(kind: .use, node: at, x: node.x, y: node.y, sector: node.sector, expect: [], path: path, note: "")
        step.expect = expectations(before: before, after: after, changed: changed)
        step.waypoints = path.map { [graph.nodes[$0].x, graph.nodes[$0].y] }
        switch action {
        case .pickup(let thing, _):
            let key = GameKey(thingType: model.map.things[thing].type)
            step.kind = .pickup
            step.thing = thing
            step.item = key?.name
            step.target = [model.map.things[thing].x, model.map.things[thing].y]
            step.note = "Pick up \(key?.phrase ?? "the key") at \(model.map.things[thing].position.label)."
        case .use(let line, _), .shoot(let line, _):
            let shoot = if case .shoot = action { true } else { false }
            step.kind = isExit ? .exit : (shoot ? .shoot : .use)
            step.line = line
            step.target = midpoint(line).map { [$0.x, $0.y] }
            if isExit { step.how = shoot ? "shoot" : "use" }
            step.note = note(line: line, verb: shoot ? "Shoot" : "Press USE on", isExit: isExit, changed: changed)
        case .cross(let edge, _):
            // For an exit, the exit line first (the walk may cross other triggers on the way).
            let lines = world.pendingLines[edge].sorted { (world.isExitLine($0) ? 0 : 1) < (world.isExitLine($1) ? 0 : 1) }
            step.kind = isExit ? .exit : .cross
            step.line = lines.first
            step.to = landing
            if isExit { step.how = "cross" }
            step.note = lines.first.map { note(line: $0, verb: "Walk over", isExit: isExit, changed: changed) } ?? "Walk on."
        case .kill(let boss, _):
            let action = model.bossActions[boss]
            step.kind = isExit ? .exit : .kill
            step.thing = action.monsters.first
            step.things = action.monsters
            step.target = action.monsters.first.map { [model.map.things[$0].x, model.map.things[$0].y] }
            if isExit { step.how = "kill" }
            let who = action.monsters.count == 1 ? "the \(action.monsterName)" : "all \(action.monsters.count) of the \(action.monsterName)s"
            switch action.outcome {
            case .exit: step.note = "Kill \(who): its death ends the level."
            case .sectors(let tag, _): step.note = "Kill \(who): that moves the sectors tagged \(tag)\(changedPhrase(changed))."
            }
        }
        return step
    }

    private func note(line: Int, verb: String, isExit: Bool, changed: [Int]) -> String {
        guard let action = model.actions[line] else { return "\(verb) line \(line)." }
        let lock = action.lock == .none ? "" : " (needs \(action.lock.phrase))"
        if isExit {
            let secret = if case .exit(secret: true) = action.effect { "secret " } else { "" }
            return "\(verb) line \(line) (\(action.triggerCode) \(action.name))\(lock): the \(secret)exit."
        }
        return "\(verb) line \(line) (\(action.triggerCode) \(action.name))\(lock)\(changedPhrase(changed))."
    }

    private func changedPhrase(_ changed: [Int]) -> String {
        let sectors = Array(Set(changed)).sorted()
        guard !sectors.isEmpty else { return "" }
        let listed = sectors.prefix(4).map(String.init).joined(separator: ", ")
        return ": it moves sector\(sectors.count == 1 ? "" : "s") \(listed)\(sectors.count > 4 ? " and \(sectors.count - 4) more" : "")"
    }

    /// Up to four live heights that show the change happened.
    private func expectations(before: SectorHeights, after: SectorHeights, changed: [Int]) -> [PlanStep.Expectation] {
        var result: [PlanStep.Expectation] = []
        for sector in Array(Set(changed)).sorted() where result.count < 4 {
            var e = PlanStep.Expectation(sector: sector)
            if after.ceilings[sector] > before.ceilings[sector] { e.ceilingAtLeast = after.ceilings[sector] - 8 }
            if after.floors[sector] < before.floors[sector] { e.floorAtMost = after.floors[sector] + 8 }
            if after.floors[sector] > before.floors[sector] { e.floorAtLeast = after.floors[sector] - 8 }
            if let low = after.visits[sector].min(), low < after.floors[sector] { e.floorAtMost = low + 8 }
            if e.ceilingAtLeast != nil || e.floorAtMost != nil || e.floorAtLeast != nil { result.append(e) }
        }
        return result
    }

    private func midpoint(_ line: Int) -> MapPoint? {
        model.lineEnds[line].map { MapPoint(x: ($0.0.x + $0.1.x) / 2, y: ($0.0.y + $0.1.y) / 2) }
    }

}
