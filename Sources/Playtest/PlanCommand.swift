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
        for entry in entries {
            let parsed: DoomMap
            do { parsed = try MapParser.parse(wad: file, map: entry) } catch { throw ValidationError("\(entry.name): \(error.description)") }
            let geometry = MapGeometry(parsed)
            let printTrace: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let result = ProgressionPlanner.plan(geometry: geometry, skill: skill, trace: trace ? printTrace : nil)
            switch format {
            case .navigation:
                FileHandle.standardOutput.write(try NavigationConfig(result: result, geometry: geometry).json())
                print()
            case .json:
                plans[entry.name] = result.plan
            case .svg:
                var options = SVGRenderOptions()
                options.pixelWidth = 4096
                print(SVGMapRenderer(geometry: geometry, options: options).render(route: RouteDrawing(result: result, showsGraph: graph)))
            case .text:
                let plan = result.plan
                print("\(entry.name)\t\(plan.verdict.rawValue)\t\(plan.steps.count) steps\t\(plan.reason)")
                if entries.count == 1 {
                    for (index, step) in plan.steps.enumerated() { print("  \(index + 1). \(step.note)") }
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
