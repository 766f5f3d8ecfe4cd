/// What the route layer of a map picture shows: the planner's route with numbered steps, the keys it picks
/// up, the locks and switches it uses, the exit, or the place where progression breaks.
public struct RouteDrawing: Sendable {
    public var plan: ProgressionPlan
    /// The walkable graph, when the drawing is made from a fresh planner result (needed for ``showsGraph``).
    public var graph: NavigationGraph?
    /// Per graph node, whether the player can get there; drawn with the graph.
    public var reachable: [Bool]
    /// Also draw the walkable graph (reachable walks green, the others grey): for debugging a verdict.
    public var showsGraph: Bool

    public init(result: ProgressionPlanner.Result, showsGraph: Bool = false) {
        plan = result.plan
        graph = result.graph
        reachable = result.reachable
        self.showsGraph = showsGraph
    }

    /// A stored plan: the route by its steps' waypoints, without the graph.
    public init(plan: ProgressionPlan) {
        self.plan = plan
        graph = nil
        reachable = []
        showsGraph = false
    }
}

/// Draws a `RouteDrawing` as the `route` group of a map picture.
enum SVGRouteLayer {
    static func render(_ drawing: RouteDrawing, unit: Double, into svg: inout String) {
        let plan = drawing.plan
        svg += "<g id=\"route\" data-verdict=\"\(plan.verdict.rawValue)\">\n"
        if drawing.showsGraph, let graph = drawing.graph {
            svg += "<g class=\"route-graph\">\n"
            for edge in graph.edges {
                let a = graph.nodes[edge.a], b = graph.nodes[edge.b]
                let reached = edge.a < drawing.reachable.count && drawing.reachable[edge.a] && drawing.reachable[edge.b]
                svg += "<line class=\"\(reached ? "graph-reached" : "graph-edge")\" x1=\"\(SVGText.x(a.x))\" y1=\"\(SVGText.y(a.y))\" x2=\"\(SVGText.x(b.x))\" y2=\"\(SVGText.y(b.y))\"/>\n"
            }
            svg += "</g>\n"
        }
        let points = plan.steps.flatMap { $0.waypoints.compactMap { $0.count == 2 ? MapPoint(x: $0[0], y: $0[1]) : nil } }
        if points.count >= 2 {
            let coordinates = points.map { "\(SVGText.x($0.x)),\(SVGText.y($0.y))" }.joined(separator: " ")
            svg += "<polyline class=\"route-path\" points=\"\(coordinates)\"/>\n"
        }
        let radius = SVGText.number(unit * 9)
        for (index, step) in plan.steps.enumerated() {
            let cssClass = "route-step route-\(step.kind.rawValue)"
            let x = SVGText.x(step.x), y = SVGText.y(step.y)
            svg += "<g class=\"\(cssClass)\" data-step=\"\(index + 1)\"><title>\(index + 1). \(SVGText.escape(step.note))</title>"
            svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(radius)\"/>"
            svg += "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(SVGText.number(unit * 11))\">\(index + 1)</text></g>\n"
            for leap in step.leaps ?? [] where leap.count == 4 {
                svg += "<line class=\"route-leap\" data-step=\"\(index + 1)\" x1=\"\(SVGText.x(leap[0]))\" y1=\"\(SVGText.y(leap[1]))\" x2=\"\(SVGText.x(leap[2]))\" y2=\"\(SVGText.y(leap[3]))\"><title>A running leap over the pit (step \(index + 1))</title></line>\n"
            }
            if let target = step.target, target.count == 2, step.kind != .pickup {
                svg += "<line class=\"route-target\" x1=\"\(x)\" y1=\"\(y)\" x2=\"\(SVGText.x(target[0]))\" y2=\"\(SVGText.y(target[1]))\"/>\n"
            }
        }
        if let blocker = plan.blocker, let bx = blocker.x, let by = blocker.y {
            let size = unit * 14
            let x0 = SVGText.x(bx - size), x1 = SVGText.x(bx + size), y0 = SVGText.y(by - size), y1 = SVGText.y(by + size)
            svg += "<g class=\"route-blocker\" data-kind=\"\(blocker.kind.rawValue)\"><title>\(SVGText.escape(plan.reason))</title>"
            svg += "<line x1=\"\(x0)\" y1=\"\(y0)\" x2=\"\(x1)\" y2=\"\(y1)\"/><line x1=\"\(x0)\" y1=\"\(y1)\" x2=\"\(x1)\" y2=\"\(y0)\"/></g>\n"
        }
        svg += "</g>\n"
    }

    static let css = """
        #route line, #route polyline, #route circle { vector-effect: non-scaling-stroke; }
        .graph-edge { stroke: #c8c8c8; stroke-width: 0.4px; } .graph-reached { stroke: #6fcf7f; stroke-width: 0.5px; }
        .route-path { fill: none; stroke: #0a58ca; stroke-width: 2.5px; stroke-linejoin: round; opacity: 0.85; }
        .route-step circle { fill: #fff; stroke: #0a58ca; stroke-width: 2px; }
        .route-step text { fill: #0a58ca; font-family: sans-serif; font-weight: bold; text-anchor: middle; dominant-baseline: central; }
        .route-pickup circle { fill: #ffbf00; } .route-exit circle { fill: #d1006f; stroke: #d1006f; } .route-exit text { fill: #fff; }
        .route-target { stroke: #0a58ca; stroke-width: 1px; stroke-dasharray: 3 2; }
        .route-leap { stroke: #f28c00; stroke-width: 4px; stroke-dasharray: 8 4; }
        .route-blocker line { stroke: #e00; stroke-width: 4px; }
        """
}
