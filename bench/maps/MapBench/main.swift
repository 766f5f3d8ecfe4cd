// MapBench: times PlaytestCore's map parsing and geometry, and point-in-sector lookups.
//
//   MapBench parse <wad> [repeats]      read the file, parse every map and build its geometry; prints the best pass
//   MapBench locate <wad> <map> [n]     n point-in-sector lookups on random points in the map's bounds
//   MapBench counts <wad>...            prints per-map counts as JSON (for a quick look; tests do the cross-check)
//   MapBench report <wad> <map> [iwad]  prints the map's summary and findings as JSON
import Foundation
import PlaytestCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func loadWAD(_ path: String) -> WAD {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    do {
        return try WAD(bytes: [UInt8](data))
    } catch {
        fail("\(path): \(error)")
    }
}

/// A small deterministic generator so runs are comparable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: MapBench parse <wad> [repeats] | locate <wad> <map> [n] | counts <wad>...") }

switch arguments[1] {
case "parse":
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
    var best = Double.infinity
    var checksum = 0.0
    var mapCount = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        // Timed like the omgifol side: read the file, read the directory, parse every map (and build its geometry).
        guard let data = FileManager.default.contents(atPath: arguments[2]) else { fail("cannot read \(arguments[2])") }
        do {
            let wad = try WAD(bytes: [UInt8](data))
            mapCount = wad.maps.count
            for entry in wad.maps {
                let map = try MapParser.parse(wad: wad, map: entry)
                let geometry = MapGeometry(map)
                checksum += geometry.area
            }
        } catch {
            fail("\(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
    }
    print(String(format: "{\"maps\": %d, \"best_seconds\": %.6f, \"repeats\": %d, \"checksum\": %.1f}", mapCount, best, repeats, checksum))
case "locate":
    guard arguments.count >= 4 else { fail("usage: MapBench locate <wad> <map> [n]") }
    let wad = loadWAD(arguments[2])
    let lookups = arguments.count > 4 ? Int(arguments[4]) ?? 5_000_000 : 5_000_000
    let map: DoomMap
    do { map = try MapParser.parse(wad: wad, mapNamed: arguments[3]) } catch { fail("\(error)") }
    let geometry = MapGeometry(map)
    var generator = SplitMix64(state: 42)
    let bounds = geometry.bounds
    var points: [MapPoint] = []
    points.reserveCapacity(65_536)
    for _ in 0..<65_536 {
        points.append(MapPoint(x: Double.random(in: bounds.minX...bounds.maxX, using: &generator),
                               y: Double.random(in: bounds.minY...bounds.maxY, using: &generator)))
    }
    var found = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<lookups {
        if geometry.locator.sector(at: points[index & 65_535]) != nil { found += 1 }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "{\"lookups\": %d, \"seconds\": %.6f, \"lookups_per_second\": %.0f, \"inside\": %d}",
                 lookups, seconds, Double(lookups) / seconds, found))
case "counts":
    var out: [String: [String: [String: Int]]] = [:]
    for path in arguments.dropFirst(2) {
        let wad = loadWAD(path)
        var maps: [String: [String: Int]] = [:]
        for entry in wad.maps {
            do {
                let map = try MapParser.parse(wad: wad, map: entry)
                maps[entry.name] = ["things": map.things.count, "linedefs": map.linedefs.count, "sidedefs": map.sidedefs.count,
                                    "vertices": map.vertices.count, "sectors": map.sectors.count]
            } catch {
                fail("\(path) \(entry.name): \(error)")
            }
        }
        out[(path as NSString).lastPathComponent] = maps
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    guard let json = try? encoder.encode(out) else { fail("cannot encode") }
    print(String(decoding: json, as: UTF8.self))
case "report":
    guard arguments.count >= 4 else { fail("usage: MapBench report <wad> <map> [iwad]") }
    let wad = loadWAD(arguments[2])
    let wads = arguments.count > 4 ? [loadWAD(arguments[4]), wad] : [wad]
    guard let entry = wad.map(named: arguments[3]) else { fail("no map \(arguments[3])") }
    do {
        let report = try MapReport(wad: wad, map: entry, resources: MapResources(wads: wads))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } catch {
        fail("\(error)")
    }
default:
    fail("unknown mode \(arguments[1])")
}
