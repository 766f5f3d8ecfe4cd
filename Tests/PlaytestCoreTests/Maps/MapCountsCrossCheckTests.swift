import Foundation
import Testing
@testable import PlaytestCore

/// Compares PlaytestCore's element counts with omgifol's, map by map.
///
/// `scripts/maps/omgifol_counts.py <wads...> > counts.json` writes omgifol's counts; this test reads the
/// file named by `PLAYTEST_MAP_COUNTS_JSON`, parses the same WAD files and requires the same maps and
/// equal counts of things, linedefs, sidedefs, vertices and sectors. `scripts/maps/crosscheck.sh` runs both.
@Suite("Map counts cross-check with omgifol")
struct MapCountsCrossCheckTests {
    struct CountsFile: Decodable {
        struct WADCounts: Decodable {
            let path: String
            let maps: [String: Counts]
        }

        struct Counts: Decodable, Equatable, CustomStringConvertible {
            let things: Int
            let linedefs: Int
            let sidedefs: Int
            let vertices: Int
            let sectors: Int

            var description: String {
                "things \(things), linedefs \(linedefs), sidedefs \(sidedefs), vertices \(vertices), sectors \(sectors)"
            }
        }

        let tool: String
        let wads: [WADCounts]
    }

    static let countsPath = ProcessInfo.processInfo.environment["PLAYTEST_MAP_COUNTS_JSON"]

    @Test("Every map's counts equal omgifol's",
          .enabled(if: MapCountsCrossCheckTests.countsPath != nil,
                   "PLAYTEST_MAP_COUNTS_JSON is not set: run scripts/maps/crosscheck.sh to produce omgifol's counts"))
    func countsMatchOmgifol() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try #require(Self.countsPath)))
        let expected = try JSONDecoder().decode(CountsFile.self, from: data)
        #expect(!expected.wads.isEmpty, "the counts file lists no WADs")
        var compared = 0
        for wadCounts in expected.wads {
            let wad = try RealWADs.load(wadCounts.path)
            let name = (wadCounts.path as NSString).lastPathComponent
            #expect(Set(wad.maps.map(\.name)) == Set(wadCounts.maps.keys), "\(wadCounts.path): map lists differ")
            for entry in wad.maps {
                guard let want = wadCounts.maps[entry.name] else { continue }
                let map = try MapParser.parse(wad: wad, map: entry)
                let got = CountsFile.Counts(things: map.things.count, linedefs: map.linedefs.count, sidedefs: map.sidedefs.count,
                                            vertices: map.vertices.count, sectors: map.sectors.count)
                #expect(got == want, "\(name) \(entry.name): PlaytestCore has \(got), \(expected.tool) has \(want)")
                compared += 1
            }
        }
        #expect(compared > 0)
    }
}
