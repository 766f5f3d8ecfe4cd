/// Can a map be finished at a skill, and by which route? The entry point of the progression planner
/// (docs/progression.md): builds the map's navigation graph, searches for a route to the exit, keeps only the
/// actions the route needs, and otherwise names where progression breaks.
public enum ProgressionPlanner {
    /// The plan and the graph it was made on (the navigator plays the plan on the same graph).
    public struct Result: Sendable {
        public let plan: ProgressionPlan
        public let graph: NavigationGraph
        /// Per node: whether the player can get there (at the route's end, or in the best state the search found).
        public let reachable: [Bool]
        /// The rules the plan was made with, for later questions about places (``ProgressionRegions``).
        let world: PlanWorld?
        /// Milliseconds spent per phase (model, graph, search, route or diagnosis), for benchmarks.
        public var phases: [(name: String, ms: Double)] = []
    }

    public static func plan(geometry: MapGeometry, skill: Int, budget: Int = 4000, trace: (@Sendable (String) -> Void)? = nil) -> Result {
        let skill = min(max(skill, 1), 5)
        let clock = ContinuousClock()
        var phases: [(name: String, ms: Double)] = []
        var mark = clock.now
        func lap(_ name: String) {
            let now = clock.now
            let d = now - mark
            phases.append((name, Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15))
            mark = now
        }
        let model = ProgressionModel(map: geometry.map, geometry: geometry, skill: skill)
        lap("model")
        let graph = NavigationGraphBuilder.build(model: model)
        lap("graph")
        let world = PlanWorld(model: model, graph: graph)
        lap("world")
        trace?("graph: \(graph.nodes.count) nodes, \(graph.edges.count) edges, \(graph.areaCount) areas, \(graph.areaOutgoing.moves.count) moves between areas, \(world.pendingMoves.count) pending moves")
        let diagnosis = BlockerDiagnosis(world: world)
        var plan = ProgressionPlan(verdict: .unknown, reason: "", skill: skill, steps: [], blocker: nil, unmodelled: [],
                                   stats: .init(nodes: graph.nodes.count, edges: graph.edges.count, teleports: graph.teleports.count,
                                                statesExplored: 0, reachableShare: 0))
        plan.unmodelled = diagnosis.unmodelledLines().prefix(50).compactMap { line in
            model.actions[line].map { ProgressionPlan.UnmodelledSpecial(line: line, special: $0.special, name: $0.name) }
        }
        guard let start = graph.start else {
            plan.verdict = .blocked
            plan.reason = "The map has no player 1 start, so a single-player game cannot begin."
            plan.blocker = .init(kind: .noStart)
            return Result(plan: plan, graph: graph, reachable: Array(repeating: false, count: graph.nodes.count), world: world)
        }
        let search = ProgressionSearch(world: world, budget: budget, trace: trace)
        let reach: Reachability
        let outcome = search.run(from: start)
        lap("search")
        switch outcome {
        case .found(let actions, let exit, let explored, let final):
            reach = world.reach(final)
            let route = search.prune(actions, exit: exit, from: start)
            plan.steps = RouteNarrator(world: world).steps(actions: route, exit: exit, from: start)
            plan.verdict = .completable
            plan.stats.statesExplored = explored
            plan.stats.reachableShare = share(reach.count, graph)
            let keys = plan.steps.filter { $0.kind == .pickup }.count
            plan.reason = "The exit can be reached in \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
                + (keys > 0 ? ", picking up \(keys) key\(keys == 1 ? "" : "s")" : "") + ": " + (plan.steps.last?.note ?? "")
        case .exhausted(let best, let explored, let hitBudget):
            let finding = diagnosis.diagnose(best: best, hitBudget: hitBudget, explored: explored)
            plan.verdict = finding.verdict
            plan.reason = finding.reason
            plan.blocker = finding.blocker
            plan.stats.statesExplored = explored
            reach = world.reach(best)
            plan.stats.reachableShare = share(reach.count, graph)
        }
        lap("finish")
        var result = Result(plan: plan, graph: graph, reachable: reach.reached, world: world)
        result.phases = phases
        return result
    }

    private static func share(_ reached: Int, _ graph: NavigationGraph) -> Double {
        graph.nodes.isEmpty ? 0 : (Double(reached) / Double(graph.nodes.count) * 1000).rounded() / 1000
    }
}
