import Foundation
import PlaytestCore

// Plans every map of the given WADs at one skill and prints one JSON object per map (verdict, steps, graph
// size, milliseconds), then a summary line. bench/progression/run.sh builds it in release mode.
//
//   PlannerBench <skill> <wad>...        (PLANNER_MAPS=E1M1,MAP07 plans only those maps)
//
// Debugging (release speed, unlike `playtest plan --trace` in a debug build): PLANNER_TRACE=1 prints the search and
// the frontier of the reached area on stderr; PLANNER_STEPS=1 prints the route; PLANNER_PROBE=s1,s2 says whether sectors
// are reached; PLANNER_NODES=file writes the nodes (x y reached sector); PLANNER_SVG=dir writes dir/<map>.svg with the
// route and the graph; PLANNER_DUMP=dir writes dir/<map>.txt with the plan (JSON) and the whole graph, to check that a
// change meant to be faster leaves both identical (diff two such folders).

let arguments = CommandLine.arguments.dropFirst()
guard let skillText = arguments.first, let skill = Int(skillText), arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: PlannerBench <skill> <wad>...\n".utf8))
    exit(2)
}
var total = 0.0
var counts: [String: Int] = [:]
var parsedMaps: [DoomMap] = []   // every map planned, for the batch pass at the end
var verdicts: [String] = []
for path in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path), let wad = try? WAD(bytes: [UInt8](data)) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    let only = ProcessInfo.processInfo.environment["PLANNER_MAPS"].map { Set($0.uppercased().split(separator: ",").map(String.init)) }
    for entry in wad.maps where only?.contains(entry.name.uppercased()) ?? true {
        guard let map = try? MapParser.parse(wad: wad, map: entry) else { continue }
        parsedMaps.append(map)
        let started = DispatchTime.now().uptimeNanoseconds
        let geometry = MapGeometry(map)
        let geometryMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        let environment = ProcessInfo.processInfo.environment
        let tracing = environment["PLANNER_TRACE"] != nil
        let printTrace: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        var result = ProgressionPlanner.plan(geometry: geometry, skill: skill, trace: tracing ? printTrace : nil)
        result.phases.insert(("geometry", geometryMs), at: 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        total += seconds
        let plan = result.plan
        if tracing { traceFrontier(result, map: map, print: printTrace) }
        if environment["PLANNER_STEPS"] != nil {
            for (index, step) in plan.steps.enumerated() { printTrace("\(entry.name) \(index + 1). [node \(step.node) s\(step.sector) path \(step.path.count)] \(step.note)") }
        }
        for sector in (environment["PLANNER_PROBE"] ?? "").split(separator: ",").compactMap({ Int($0) }) {
            let nodes = result.graph.nodes.indices.filter { result.graph.nodes[$0].sector == sector }
            let reached = nodes.filter { result.reachable[$0] }
            printTrace("probe sector \(sector): \(nodes.count) nodes, \(reached.count) reached \(nodes.prefix(8))")
        }
        for (thing, nodes) in result.graph.thingNodes.sorted(by: { $0.key < $1.key }) where tracing {
            printTrace("thing \(thing) type \(map.things[thing].type) nodes \(nodes.map { "\($0)/s\(result.graph.nodes[$0].sector)\(result.reachable[$0] ? "+" : "-")" })")
        }
        if let file = environment["PLANNER_NODES"], !file.isEmpty {
            let text = result.graph.nodes.indices.map { "\(result.graph.nodes[$0].x) \(result.graph.nodes[$0].y) \(result.reachable[$0] ? 1 : 0) \(result.graph.nodes[$0].sector)" }
            FileManager.default.createFile(atPath: file, contents: Data((text.joined(separator: "\n") + "\n").utf8))
        }
        if let dir = environment["PLANNER_SVG"], !dir.isEmpty {
            var options = SVGRenderOptions()
            options.pixelWidth = 4096
            let svg = SVGMapRenderer(geometry: geometry, options: options).render(route: RouteDrawing(result: result, showsGraph: true))
            FileManager.default.createFile(atPath: "\(dir)/\(entry.name).svg", contents: Data(svg.utf8))
        }
        if let dir = environment["PLANNER_DUMP"], !dir.isEmpty {
            FileManager.default.createFile(atPath: "\(dir)/\(entry.name).txt", contents: Data(try dump(result).utf8))
        }
        counts[plan.verdict.rawValue, default: 0] += 1
        verdicts.append(plan.verdict.rawValue)
        let line: [String: Any] = [
            "wad": (path as NSString).lastPathComponent, "map": entry.name, "verdict": plan.verdict.rawValue,
            "steps": plan.steps.count, "nodes": plan.stats.nodes, "edges": plan.stats.edges,
            "states": plan.stats.statesExplored,
            "phases": Dictionary(result.phases.map { ($0.name, ($0.ms * 10).rounded() / 10) }, uniquingKeysWith: +), "ms": (seconds * 10000).rounded() / 10, "reason": plan.reason,
        ]
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}
// The same maps once more as `playtest plan <wad>` plans a whole WAD: side by side on every core. The wall time of
// that pass is what a designer waits for; the sum above is the CPU it takes.
let cores = ProcessInfo.processInfo.activeProcessorCount
let batchStarted = DispatchTime.now().uptimeNanoseconds
let batch = ProgressionPlanner.plans(for: parsedMaps, skill: skill, concurrency: cores)
let batchSeconds = Double(DispatchTime.now().uptimeNanoseconds - batchStarted) / 1e9
guard batch.map(\.plan.verdict.rawValue) == verdicts else {
    FileHandle.standardError.write(Data("the batch pass's verdicts differ from the one-by-one pass's\n".utf8))
    exit(1)
}
let summary: [String: Any] = ["summary": counts, "total_seconds": (total * 1000).rounded() / 1000,
                              "batch_seconds": (batchSeconds * 1000).rounded() / 1000, "batch_concurrency": cores]
print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))

/// The frontier of the reached area (walks from a reached node to an unreached one, by the sectors they pass), the
/// reached sectors, and what opens the moving sectors at the frontier.
func traceFrontier(_ result: ProgressionPlanner.Result, map: DoomMap, print: (String) -> Void) {
    let graph = result.graph
    var frontier: [String: Int] = [:]
    for edge in graph.edges where result.reachable[edge.a] != result.reachable[edge.b] {
        let sectors = result.reachable[edge.a] ? edge.sectors : edge.sectors.reversed()
        frontier["\(sectors)\(edge.triggerLines.isEmpty ? "" : " lines \(edge.triggerLines)")\(edge.touches.isEmpty ? "" : " touches \(edge.touches.map { [$0.near, $0.far] })")", default: 0] += 1
    }
    for (key, count) in frontier.sorted(by: { $0.value > $1.value }).prefix(40) { print("frontier \(count)x \(key)") }
    let reachedSectors = Set(graph.nodes.indices.filter { result.reachable[$0] }.map { graph.nodes[$0].sector })
    print("reached sectors \(reachedSectors.sorted())")
    var seenMovers = Set<Int>()
    for edge in graph.edges where result.reachable[edge.a] != result.reachable[edge.b] {
        for sector in edge.sectors + edge.touches.map(\.far) where seenMovers.insert(sector).inserted {
            let openers = map.linedefs.indices.filter { line in
                guard let action = LineActions.action(of: map.linedefs[line], in: map), action.byPlayer else { return false }
                switch action.target {
                case .tag(let tag): return tag != 0 && map.sectors[sector].tag == tag
                case .backSector: return map.sector(ofSide: map.linedefs[line].backSide) == sector
                case .none: return false
                }
            }
            guard !openers.isEmpty else { continue }
            let described = openers.prefix(4).map { line -> String in
                let spots = (graph.useSpots[line] ?? []) + (graph.shootSpots[line] ?? [])
                let action = LineActions.action(of: map.linedefs[line], in: map)
                return "line \(line) \(action?.triggerCode ?? "") \(action?.name ?? "") spots \(spots.map { "\($0)\(result.reachable[$0] ? "+" : "-")" })"
            }
            print("mover \(sector) opened by \(described.joined(separator: "; "))")
        }
    }
}

/// The plan as JSON and every node, edge, teleport and spot of the graph, one a line.
func dump(_ result: ProgressionPlanner.Result) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    let graph = result.graph
    var lines = [String(decoding: try encoder.encode(result.plan), as: UTF8.self), "start \(graph.start.map(String.init) ?? "none")"]
    for (index, node) in graph.nodes.enumerated() { lines.append("node \(index) \(node.x) \(node.y) s\(node.sector) \(node.kind.rawValue)") }
    for edge in graph.edges {
        lines.append("edge \(edge.a) \(edge.b) \(edge.length) d\(edge.directions) sectors \(edge.sectors) lines \(edge.triggerLines) touches \(edge.touches.map { [$0.near, $0.far] })")
    }
    for teleport in graph.teleports { lines.append("teleport \(teleport.from) \(teleport.to) line \(teleport.line)") }
    for (thing, nodes) in graph.thingNodes.sorted(by: { $0.key < $1.key }) { lines.append("thing \(thing) \(nodes)") }
    for (line, nodes) in graph.useSpots.sorted(by: { $0.key < $1.key }) { lines.append("use \(line) \(nodes)") }
    for (line, nodes) in graph.shootSpots.sorted(by: { $0.key < $1.key }) { lines.append("shoot \(line) \(nodes)") }
    for (line, spots) in graph.through.sorted(by: { $0.key < $1.key }) {
        lines.append("through \(line) \(spots.sorted(by: { $0.key < $1.key }).map { "\($0.key):\($0.value)" })")
    }
    lines.append("reachable \(result.reachable.indices.filter { result.reachable[$0] })")
    return lines.joined(separator: "\n") + "\n"
}
