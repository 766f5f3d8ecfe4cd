import Foundation
import Testing
@testable import PlaytestCore

/// A deterministic mutation fuzzer: mutated WADs (from the test maps and small real maps) go through the
/// reader, and those that still parse go through geometry, every check and the renderer. Any trap fails
/// the test run. `PLAYTEST_MAP_FUZZ_ITERATIONS` (default 20000) and `PLAYTEST_MAP_FUZZ_SEED` tune it.
@Suite("Map fuzzing")
struct MapFuzzTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["PLAYTEST_MAP_FUZZ_ITERATIONS"] ?? "") ?? 20_000 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["PLAYTEST_MAP_FUZZ_SEED"] ?? "") ?? 0x5EED }

    /// Seed WADs: small hand-made maps in all three formats, plus the smallest map of each real WAD present.
    static func seeds() throws -> [[UInt8]] {
        var seeds = [
            BinaryMapEncoder.wad(TestMaps.cleanRoom()),
            BinaryMapEncoder.wad(TestMaps.twoRooms(eastFloor: 16)),
            BinaryMapEncoder.wad(GeometryTests.roomAroundSquare(innerSector: true), hexen: true),
        ]
        var udmf = WADBuilder()
        udmf.add("MAP01")
        udmf.add("TEXTMAP", text: UDMFTests.room)
        udmf.add("ENDMAP")
        udmf.add("MAPINFO", text: "map MAP01 \"Fuzz\"\n")
        seeds.append(udmf.build())
        for path in RealWADs.debian + RealWADs.vizdoomScenarios.prefix(3) {
            let wad = try RealWADs.load(path)
            guard let smallest = wad.maps.min(by: { size(of: $0, in: wad) < size(of: $1, in: wad) }) else { continue }
            seeds.append(extract(smallest, from: wad))
        }
        return seeds
    }

    static func size(of map: MapEntry, in wad: WAD) -> Int {
        map.lumpRange.reduce(0) { $0 + wad.lumps[$1].size }
    }

    /// A PWAD holding only one map of a bigger WAD.
    static func extract(_ map: MapEntry, from wad: WAD) -> [UInt8] {
        var builder = WADBuilder()
        builder.add(map.name)
        for index in map.lumpRange { builder.add(wad.lumps[index].name, Array(wad.data(of: wad.lumps[index]))) }
        return builder.build()
    }

    @Test("Mutated WADs never crash the reader, geometry, checks or renderer")
    func fuzz() throws {
        let seeds = try Self.seeds()
        var random = SeededMapRandom(seed: Self.seed)
        var parsed = 0, rejected = 0, analysed = 0
        var errorKinds = Set<String>()
        for iteration in 0..<Self.iterations {
            let source = seeds[iteration % seeds.count]
            let bytes = Self.mutate(source, using: &random)
            do {
                let wad = try WAD(bytes: bytes)
                for entry in wad.maps {
                    let map = try MapParser.parse(wad: wad, map: entry)
                    parsed += 1
                    // The full pipeline on small maps every time, on the bigger real maps now and then.
                    if map.linedefs.count < 64 || random.next() % 6 == 0 {
                        analysed += 1
                        let geometry = MapGeometry(map)
                        let report = MapReport(geometry: geometry, resources: MapResources(wads: [wad]))
                        _ = geometry.sector(at: MapPoint(x: Double(random.next() % 4096) - 2048, y: Double(random.next() % 4096) - 2048))
                        _ = SVGMapRenderer(geometry: geometry).render(findings: report.findings)
                    }
                }
            } catch {
                rejected += 1
                errorKinds.insert(Mirror(reflecting: error).children.first?.label ?? "\(error)")
                #expect(!error.description.isEmpty)
            }
        }
        print("map fuzz: \(Self.iterations) inputs from \(seeds.count) seeds, \(parsed) maps parsed, \(analysed) analysed and rendered, \(rejected) rejected; errors: \(errorKinds.sorted().joined(separator: ", "))")
        // The mutations must exercise both paths: maps that still parse and files that are rejected.
        #expect(parsed > Self.iterations / 10, "only \(parsed) maps parsed")
        #expect(rejected > Self.iterations / 10, "only \(rejected) files rejected")
        #expect(errorKinds.count >= 5, "error kinds seen: \(errorKinds.sorted())")
    }

    /// One to four random mutations: byte and bit flips, extreme 16- and 32-bit values, truncation,
    /// chunk duplication and deletion, and for text lumps random UDMF punctuation.
    static func mutate(_ original: [UInt8], using random: inout SeededMapRandom) -> [UInt8] {
        var bytes = original
        let rounds = 1 + Int(random.next() % 4)
        let extremes16: [UInt16] = [0, 1, 0x7FFF, 0x8000, 0xFFFF, 0xFFFE, 0x0100]
        let extremes32: [UInt32] = [0, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 16, 12, UInt32(original.count)]
        let punctuation = Array("{}=;\"/*-.0123456789eEx \n".utf8)
        for _ in 0..<rounds where !bytes.isEmpty {
            let position = Int(random.next() % UInt64(bytes.count))
            // Content mutations (0, 1, 2, 7, 8) are four times as likely as structural ones (3 to 6).
            let roll = random.next() % 24
            let choice: UInt64 = roll < 20 ? [0, 1, 2, 7, 8][Int(roll % 5)] : 3 + roll % 4
            switch choice {
            case 0:
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1:
                bytes[position] ^= 1 << UInt8(random.next() % 8)
            case 2 where position + 2 <= bytes.count:
                let value = extremes16[Int(random.next() % UInt64(extremes16.count))]
                bytes[position] = UInt8(value & 0xFF)
                bytes[position + 1] = UInt8(value >> 8)
            case 3:
                // Aim at the header and the directory, where 32-bit offsets and sizes live.
                let directory = max(0, bytes.count - 16 * Int(1 + random.next() % 12))
                let target = random.next() % 3 == 0 ? Int(random.next() % 12) : directory + Int(random.next() % 16)
                guard target + 4 <= bytes.count else { continue }
                let value = extremes32[Int(random.next() % UInt64(extremes32.count))]
                for offset in 0..<4 { bytes[target + offset] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(offset))) }
            case 4:
                bytes.removeLast(min(bytes.count, 1 + Int(random.next() % 64)))
            case 5:
                let length = min(bytes.count - position, 1 + Int(random.next() % 32))
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: Int(random.next() % UInt64(bytes.count)))
            case 6:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(random.next() % 16)))
            case 7:
                bytes[position] = punctuation[Int(random.next() % UInt64(punctuation.count))]
            default:
                // Change a 16-bit field on a record boundary (vertex/linedef/sidedef indices, coordinates).
                let aligned = position & ~1
                guard aligned + 2 <= bytes.count else { continue }
                let value = UInt16(truncatingIfNeeded: random.next() % 3 == 0 ? random.next() : random.next() % 64)
                bytes[aligned] = UInt8(value & 0xFF)
                bytes[aligned + 1] = UInt8(value >> 8)
            }
        }
        return bytes
    }
}
