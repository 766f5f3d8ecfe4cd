import Foundation
import PlaytestCore

// Plans every map of the given WADs at one skill and prints one JSON object per map (verdict, steps, graph
// size, milliseconds), then a summary line. bench/progression/run.sh builds it in release mode.
//
//   PlannerBench <skill> <wad>...        (PLANNER_MAPS=E1M1,MAP07 plans only those maps)

let arguments = CommandLine.arguments.dropFirst()
guard let skillText = arguments.first, let skill = Int(skillText), arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: PlannerBench <skill> <wad>...\n".utf8))
    exit(2)
}
var total = 0.0
var counts: [String: Int] = [:]
for path in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path), let wad = try? WAD(bytes: [UInt8](data)) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    let only = ProcessInfo.processInfo.environment["PLANNER_MAPS"].map { Set($0.uppercased().split(separator: ",").map(String.init)) }
    for entry in wad.maps where only?.contains(entry.name.uppercased()) ?? true {
        guard let map = try? MapParser.parse(wad: wad, map: entry) else { continue }
        let started = DispatchTime.now().uptimeNanoseconds
        let geometry = MapGeometry(map)
        let geometryMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        var result = ProgressionPlanner.plan(geometry: geometry, skill: skill)
        result.phases.insert(("geometry", geometryMs), at: 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        total += seconds
        let plan = result.plan
        counts[plan.verdict.rawValue, default: 0] += 1
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
let summary: [String: Any] = ["summary": counts, "total_seconds": (total * 1000).rounded() / 1000]
print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
