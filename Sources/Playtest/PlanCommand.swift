import ArgumentParser
import Foundation
import PlaytestCore

/// `playtest plan`: the progression planner's verdict and route for the maps of a WAD, without playing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Can each map be finished? The progression planner's verdict and route, computed from the map.",
        discussion: """
            Formats: `text` (a line per map, and the steps when one map is chosen), `json` (the map detail API's
            `progression` objects) and `navigation` (the agent config's `navigation` object for one map,
            docs/navigation.md) and `svg` (the map with the route, or where progression breaks).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, navigation, svg
    }

    @Argument(help: "The .wad file.")
    var wad: String

    @Option(help: "One map (E1M1, MAP01); all maps when absent.")
    var map: String?

    @Option(help: "Skill 1–5 (things are filtered by it).")
    var skill: Int = 3

    @Option(help: "text, json or navigation.")
    var format: Format = .text

    @Flag(help: "With --format svg: also draw the walkable graph (reachable walks green).")
    var graph = false

    @Flag(help: "Print the planner's search, state by state, on stderr.")
    var trace = false

    @Option(help: ArgumentHelp("With --trace: say whether the route's end (or the best state) reaches these sectors.", visibility: .hidden))
    var probe: [Int] = []

    func validate() throws {
        guard (1...5).contains(skill) else { throw ValidationError("--skill must be 1–5, got \(skill)") }
        if (format == .navigation || format == .svg) && map == nil { throw ValidationError("--format \(format.rawValue) needs --map") }
    }

    func run() throws {
        guard let bytes = FileManager.default.contents(atPath: wad) else { throw ValidationError("cannot read \(wad)") }
        let file: WAD
        do { file = try WAD(bytes: [UInt8](bytes)) } catch { throw ValidationError("\(wad): \(error.description)") }
        var entries = file.maps
        if let map {
            entries = entries.filter { $0.name.uppercased() == map.uppercased() }
            guard !entries.isEmpty else {
                throw ValidationError("\(wad) has no map \(map); it has \(file.maps.map(\.name).joined(separator: ", "))")
            }
        }
        var plans: [String: ProgressionPlan] = [:]
        func printLine(_ name: String, _ plan: ProgressionPlan) {
            print("\(name)\t\(plan.verdict.rawValue)\t\(plan.steps.count) steps\t\(plan.reason)")
        }
        var maps: [DoomMap] = []
        for entry in entries {
            do { maps.append(try MapParser.parse(wad: file, map: entry)) } catch { throw ValidationError("\(entry.name): \(error.description)") }
        }
        if maps.count > 1 && !trace && probe.isEmpty {
            // Every map of the WAD: planned side by side on all cores, printed in the WAD's order.
            for entry in ProgressionPlanner.plans(for: maps, skill: skill, concurrency: ProcessInfo.processInfo.activeProcessorCount) {
                if format == .json {
                    plans[entry.map] = entry.plan
                } else {
                    printLine(entry.map, entry.plan)
                }
            }
        }
        for parsed in maps where maps.count == 1 || trace || !probe.isEmpty {
            let geometry = MapGeometry(parsed)
            let printTrace: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let result = ProgressionPlanner.plan(geometry: geometry, skill: skill, trace: trace ? printTrace : nil)
            if trace {
                // The frontier: walks from a reached node to an unreached one, by the sectors they pass.
                var frontier: [String: Int] = [:]
                for edge in result.graph.edges where result.reachable[edge.a] != result.reachable[edge.b] {
                    let sectors = result.reachable[edge.a] ? edge.sectors : edge.sectors.reversed()
                    frontier["\(sectors)\(edge.triggerLines.isEmpty ? "" : " lines \(edge.triggerLines)")\(edge.touches.isEmpty ? "" : " touches \(edge.touches.map { [$0.near, $0.far] })")", default: 0] += 1
                }
                for (key, count) in frontier.sorted(by: { $0.value > $1.value }).prefix(40) { printTrace("frontier \(count)x \(key)") }
                let reachedSectors = Set(result.graph.nodes.indices.filter { result.reachable[$0] }.map { result.graph.nodes[$0].sector })
                printTrace("reached sectors \(reachedSectors.sorted())")
                // What opens the moving sectors at the frontier, and whether the player gets to it.
                let graph = result.graph
                var seenMovers = Set<Int>()
                for edge in graph.edges where result.reachable[edge.a] != result.reachable[edge.b] {
                    for sector in edge.sectors + edge.touches.map(\.far) where seenMovers.insert(sector).inserted {
                        let openers = parsed.linedefs.indices.filter { line in
                            guard let action = LineActions.action(of: parsed.linedefs[line], in: parsed), action.byPlayer else { return false }
                            switch action.target {
                            case .tag(let tag): return tag != 0 && parsed.sectors[sector].tag == tag
                            case .backSector: return parsed.sector(ofSide: parsed.linedefs[line].backSide) == sector
                            case .none: return false
                            }
                        }
                        guard !openers.isEmpty else { continue }
                        let described = openers.prefix(4).map { line -> String in
                            let spots = (graph.useSpots[line] ?? []) + (graph.shootSpots[line] ?? [])
                            let action = LineActions.action(of: parsed.linedefs[line], in: parsed)
                            return "line \(line) \(action?.triggerCode ?? "") \(action?.name ?? "") spots \(spots.map { "\($0)\(result.reachable[$0] ? "+" : "-")" })"
                        }
                        printTrace("mover \(sector) opened by \(described.joined(separator: "; "))")
                    }
                }
            }
            for sector in probe {
                let nodes = result.graph.nodes.indices.filter { result.graph.nodes[$0].sector == sector }
                let reached = nodes.filter { result.reachable[$0] }
                printTrace("probe sector \(sector): \(nodes.count) nodes, \(reached.count) reached \(nodes.prefix(8))")
            }
            switch format {
            case .navigation:
                FileHandle.standardOutput.write(try NavigationConfig(result: result, geometry: geometry).json())
                print()
            case .json:
                plans[parsed.name] = result.plan
            case .svg:
                var options = SVGRenderOptions()
                options.pixelWidth = 4096
                print(SVGMapRenderer(geometry: geometry, options: options).render(route: RouteDrawing(result: result, showsGraph: graph)))
            case .text:
                printLine(parsed.name, result.plan)
                if entries.count == 1 {
                    for (index, step) in result.plan.steps.enumerated() { print("  \(index + 1). \(step.note)") }
                }
            }
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            FileHandle.standardOutput.write(try encoder.encode(plans))
            print()
        }
    }
}
