// TelemetryBench: how fast PlaytestCore reads agent lines and derives events, next to references in the same run.
//
//   TelemetryBench [transcript.jsonl] [lines] [freedoom2.wad]
//
// 1. decode: `step` lines per second through AgentLineDecoder (full protocol validation), Foundation's JSONDecoder
//    into the same StepSample (Codable, no envelope or range checks), and JSONSerialization (untyped).
// 2. derive: samples per second through EventDeriver, without a map and with freedoom2 MAP01 (point-in-sector per
//    sample for coverage and out-of-bounds).
// Lines are the transcript's `step` lines, repeated with increasing step and tic until there are `lines` of them.
import Foundation
import PlaytestCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let arguments = CommandLine.arguments
let transcriptPath = arguments.count > 1 ? arguments[1] : "agent/tests/data/evaluate_random_defend_the_center.jsonl"
let lineCount = arguments.count > 2 ? Int(arguments[2]) ?? 200_000 : 200_000
let wadPath = arguments.count > 3 ? arguments[3] : nil

guard let text = try? String(contentsOfFile: transcriptPath, encoding: .utf8) else { fail("cannot read \(transcriptPath)") }
let decoder = AgentLineDecoder()
var templates: [StepSample] = []
for line in text.split(separator: "\n") {
    if case .step(let sample)? = try? decoder.decode(String(line)) { templates.append(sample) }
}
guard !templates.isEmpty else { fail("\(transcriptPath) has no step lines") }

// Build the workload: one long episode of realistic lines.
let encoder = JSONEncoder()
var lines: [[UInt8]] = []
var samples: [StepSample] = []
lines.reserveCapacity(lineCount)
for index in 0..<lineCount {
    var sample = templates[index % templates.count]
    sample.episode = 0
    sample.step = index + 1
    sample.tic = (index + 1) * 4
    samples.append(sample)
    guard let data = try? encoder.encode(AgentMessage.step(sample)) else { fail("cannot encode a step") }
    lines.append([UInt8](data))
}
let bytes = lines.reduce(0) { $0 + $1.count }

/// Best of `repeats` timed passes, in seconds.
func best(_ repeats: Int = 5, _ body: () -> Int) -> (seconds: Double, check: Int) {
    var fastest = Double.infinity
    var check = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        check = body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        fastest = min(fastest, seconds)
    }
    return (fastest, check)
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%10.0f/s", Double(count) / seconds)
}

print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(lineCount) step lines, \(bytes / lineCount) bytes each on average")
print("")
print("decode (lines/s, best of 5)")
let ours = best {
    var ok = 0
    for line in lines where (try? decoder.decode(line)) != nil { ok += 1 }
    return ok
}
let parser = JSONParser()
let parseOnly = best {
    var ok = 0
    for line in lines where (try? parser.parse(line)) != nil { ok += 1 }
    return ok
}
let foundationDecoder = JSONDecoder()
let codable = best {
    var ok = 0
    for line in lines where (try? foundationDecoder.decode(StepSample.self, from: Data(line))) != nil { ok += 1 }
    return ok
}
let untyped = best {
    var ok = 0
    for line in lines where (try? JSONSerialization.jsonObject(with: Data(line))) != nil { ok += 1 }
    return ok
}
guard ours.check == lineCount, parseOnly.check == lineCount, codable.check == lineCount, untyped.check == lineCount else {
    fail("not every line decoded: ours \(ours.check), JSONDecoder \(codable.check), JSONSerialization \(untyped.check)")
}
print("  AgentLineDecoder (validating)      \(rate(lineCount, ours.seconds))")
print("    of which JSONParser alone        \(rate(lineCount, parseOnly.seconds))")
print("  JSONDecoder -> StepSample         \(rate(lineCount, codable.seconds))   ours/this = \(String(format: "%.2f", codable.seconds / ours.seconds))")
print("  JSONSerialization (untyped)        \(rate(lineCount, untyped.seconds))   ours/this = \(String(format: "%.2f", untyped.seconds / ours.seconds))")

print("")
print("derive (samples/s, best of 5)")
let end = EpisodeEndMessage(reason: .timeout, tics: samples[samples.count - 1].tic)
let bare = best {
    EventDeriver.derive(samples: samples, end: end).events.count
}
print("  EventDeriver, no map               \(rate(lineCount, bare.seconds))   vs decoding: \(String(format: "%.2f", ours.seconds / bare.seconds))x")
if let wadPath {
    guard let data = FileManager.default.contents(atPath: wadPath) else { fail("cannot read \(wadPath)") }
    do {
        let wad = try WAD(bytes: [UInt8](data))
        let map = TelemetryMap(geometry: MapGeometry(try MapParser.parse(wad: wad, mapNamed: "MAP01")))
        // Spread the positions over the map so lookups are not all in one cell.
        let bounds = MapGeometry(try MapParser.parse(wad: wad, mapNamed: "MAP01")).bounds
        var spread = samples
        for index in spread.indices {
            spread[index].x = bounds.minX + bounds.width * Double((index * 7919) % 1000) / 1000
            spread[index].y = bounds.minY + bounds.height * Double((index * 104_729) % 1000) / 1000
        }
        let located = best {
            EventDeriver.derive(samples: spread, end: end, map: map).coverage.visitedSectors.count
        }
        print("  EventDeriver, freedoom2 MAP01      \(rate(lineCount, located.seconds))   vs decoding: \(String(format: "%.2f", ours.seconds / located.seconds))x  (\(located.check) sectors visited)")
    } catch {
        fail("\(wadPath): \(error)")
    }
}
