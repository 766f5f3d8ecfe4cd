import Foundation

/// The `navigation` object of the agent's config (docs/navigation.md): the plan's steps and the graph the
/// navigator walks, with every moving sector and what opens it.
public struct NavigationConfig: Sendable, Encodable {
    public struct Start: Sendable, Encodable {
        var x: Double
        var y: Double
        var angle: Int
        var node: Int
    }

    public struct Mover: Sendable, Encodable {
        var sector: Int
        var kind: String
        var open: Heights
        var openers: [Opener]
    }

    public struct Heights: Sendable, Encodable {
        var floor: Double
        var ceiling: Double
        /// The floor is the lowest floor of these sectors (the mover and its neighbours) when it opens (a lift, a floor
        /// lowered to the lowest neighbour): `floor` is that as the map starts, and a neighbour lowered since lowers it
        /// (E4M6: lift 280 goes down to -112 once the room beside it has been lowered, not to 8).
        var floorLowestOf: [Int]?

        enum CodingKeys: String, CodingKey {
            case floor, ceiling
            case floorLowestOf = "floor_lowest_of"
        }
    }

    public struct Opener: Sendable, Encodable {
        var line: Int
        var how: String
        var node: Int?
        var key: String?
        var repeatable: Bool
    }

    public let version = 1
    public let map: String
    public let skill: Int
    public let verdict: String
    public let reason: String
    public let start: Start?
    public let nodes: [[Double]]
    public let edges: [EdgeValue]
    public let teleports: [[Int]]
    public let movers: [Mover]
    public let steps: [PlanStep]
    /// Edges walkable one way only, as `[edge, from]` (the walk goes from node `from` to the other end): a walk
    /// over a teleporter's line from its back. Additive: a reader that does not know it walks them both ways.
    public let oneWay: [[Int]]
    /// Edges taken only as a running leap over a pit, from `a` (they are one way too). Additive: a reader that does
    /// not know it walks them and falls into the pit.
    public let leaps: [Int]
    /// Edges that hop a gap beside a floor that moves (`NavigationGraph.Edge.maxRise` below a step): walked at a run, so
    /// that less of the walk is spent in the air. Additive: a reader that does not know it walks them like any edge.
    public let hops: [Int]

    enum CodingKeys: String, CodingKey {
        case version, map, skill, verdict, reason, start, nodes, edges, teleports, movers, steps, leaps, hops
        case oneWay = "one_way"
    }

    /// `[a, b, sectors]`, `[a, b, sectors, lines]` or `[a, b, sectors, lines, touches]` (touches as `[near, far]` pairs).
    public struct EdgeValue: Sendable, Encodable {
        let edge: NavigationGraph.Edge

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(edge.a)
            try container.encode(edge.b)
            try container.encode(edge.sectors)
            if !edge.triggerLines.isEmpty || !edge.touches.isEmpty { try container.encode(edge.triggerLines) }
            if !edge.touches.isEmpty { try container.encode(edge.touches.map { [$0.near, $0.far] }) }
        }
    }

    public init(result: ProgressionPlanner.Result, geometry: MapGeometry) {
        let plan = result.plan, graph = result.graph
        let model = ProgressionModel(map: geometry.map, geometry: geometry, skill: plan.skill)
        map = geometry.map.name
        skill = plan.skill
        verdict = plan.verdict.rawValue
        reason = plan.reason
        if let node = graph.start, let thing = geometry.map.things.first(where: { $0.type == 1 }) {
            start = Start(x: thing.x, y: thing.y, angle: thing.angle, node: node)
        } else {
            start = nil
        }
        nodes = graph.nodes.map { [($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10, Double($0.sector)] }
        edges = graph.edges.map(EdgeValue.init)
        teleports = graph.teleports.map { [$0.from, $0.to, $0.line] }
        oneWay = graph.edges.indices.compactMap { index in
            let edge = graph.edges[index]
            switch edge.directions {
            case 1: return [index, edge.a]
            case 2: return [index, edge.b]
            default: return nil
            }
        }
        leaps = graph.edges.indices.filter { graph.edges[$0].leap }
        hops = graph.edges.indices.filter { graph.edges[$0].maxRise < SectorHeights.stepHeight }
        movers = Self.movers(model: model, graph: graph)
        steps = plan.steps
    }

    /// Every sector some player line moves, with the heights its first opener leaves it at.
    private static func movers(model: ProgressionModel, graph: NavigationGraph) -> [Mover] {
        let effects = HeightEffects(model: model)
        // Where a walk-over line is crossed from: the end of a walk over it from which the walk can be taken with the
        // heights as the map starts (a line between a floor and a ledge is crossed by dropping from the ledge), its
        // front side first; failing that, the front side.
        var walkNodes: [Int: (node: Int, score: Int)] = [:]
        let initial = SectorHeights(map: model.map)
        for (index, edge) in graph.edges.enumerated() {
            for line in edge.triggerLines where (walkNodes[line]?.score ?? -1) < 3 {
                guard let (a, b) = model.lineEnds[line] else { continue }
                for forward in [true, false] {
                    let from = forward ? edge.a : edge.b
                    let front = NavGeometry.side(graph.nodes[from].point, a, b) > 0
                    let move = NavigationGraph.Move(edge: index, forward: forward, target: forward ? edge.b : edge.a)
                    let score = (graph.allows(move, heights: initial) ? 2 : 0) + (front ? 1 : 0)
                    if score > walkNodes[line]?.score ?? -1 { walkNodes[line] = (from, score) }
                }
            }
        }
        // Every sector a line moves: its targets, and for stairs and donuts the sectors that move with them.
        var openersBySector: [Int: [(line: Int, action: LineAction)]] = [:]
        for (line, action) in model.actions.enumerated() {
            guard let action, action.byPlayer, action.effect.movesSectors else { continue }
            for sector in Self.moved(byLine: line, action: action, model: model) {
                openersBySector[sector, default: []].append((line, action))
            }
        }
        return openersBySector.keys.sorted().compactMap { sector in
            guard let openers = openersBySector[sector], let first = openers.first else { return nil }
            var heights = SectorHeights(map: model.map)
            effects.apply(first.action.effect, to: model.targets(ofLine: first.line), heights: &heights)
            let floor = heights.visits[sector].min().map { min($0, heights.floors[sector]) } ?? heights.floors[sector]
            let lowestOf = Self.opensToLowestFloor(first.action.effect) ? [sector] + model.neighbours[sector] : nil
            return Mover(sector: sector, kind: kind(of: first.action.effect),
                         open: Heights(floor: floor, ceiling: heights.ceilings[sector], floorLowestOf: lowestOf),
                         openers: openers.map { line, action in
                             let node: Int?
                             switch action.activation {
                             case .use, .push: node = graph.useSpots[line]?.first
                             case .shoot: node = graph.shootSpots[line]?.first
                             case .walk: node = walkNodes[line]?.node
                             case .none: node = nil
                             }
                             return Opener(line: line, how: action.activation == .push ? "use" : action.activation.rawValue, node: node,
                                           key: action.lock.name, repeatable: action.repeatable)
                         })
        }
    }

    /// The sectors a line's special moves: its targets, the steps behind a staircase's first one, a donut's rings.
    private static func moved(byLine line: Int, action: LineAction, model: ProgressionModel) -> [Int] {
        let targets = model.targets(ofLine: line)
        switch action.effect {
        case .stairs: return HeightEffects.stairChain(from: targets, map: model.map)
        case .donut: return Array(Set(targets + targets.flatMap { model.neighbours[$0] })).sorted()
        default: return targets
        }
    }

    /// Whether the effect takes the floor down to the lowest floor around it (Doom's P_FindLowestFloorSurrounding).
    private static func opensToLowestFloor(_ effect: SpecialEffect) -> Bool {
        switch effect {
        case .lift(let visits): return visits.contains(.lowestNeighbourFloor)
        case .floor(let target): return target == .lowestNeighbourFloor
        case .combined(let parts): return parts.contains(where: opensToLowestFloor)
        default: return false
        }
    }

    private static func kind(of effect: SpecialEffect) -> String {
        switch effect {
        case .door: return "door"
        case .lift: return "lift"
        case .floor: return "floor"
        case .ceiling: return "ceiling"
        case .stairs: return "stairs"
        case .crusher: return "crusher"
        case .elevator: return "elevator"
        case .combined(let parts): return parts.first.map(kind) ?? "other"
        default: return "other"
        }
    }

    /// Compact JSON (sorted keys, no whitespace) for the agent's config file.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
