import Foundation
import Testing
@testable import PlaytestCore

/// Every map of Freedoom, FreeDM and the VizDoom scenarios parses, has sane geometry and renders.
@Suite("Real maps")
struct RealMapTests {
    static let freedoom2Resources: MapResources? = (RealWADs.vizdoomFreedoom2 ?? RealWADs.freedoom2)
        .flatMap { try? RealWADs.load($0) }
        .map { MapResources(wads: [$0]) }

    @Test("Freedoom and FreeDM maps parse, build geometry and render",
          .enabled(if: !RealWADs.debian.isEmpty, "freedoom/freedm WADs not installed (apt install freedoom freedm)"))
    func debianMaps() throws {
        for path in RealWADs.debian {
            try checkEveryMap(of: path, expectedFormat: .doom)
        }
    }

    @Test("The Debian WADs hold the expected map lists",
          .enabled(if: RealWADs.freedoom1 != nil && RealWADs.freedoom2 != nil, "freedoom WADs not installed"))
    func mapLists() throws {
        let doom1 = try RealWADs.load(try #require(RealWADs.freedoom1))
        #expect(doom1.kind == .iwad)
        #expect(doom1.maps.count == 36)
        #expect(doom1.maps.first?.name == "E1M1")
        let doom2 = try RealWADs.load(try #require(RealWADs.freedoom2))
        #expect(doom2.maps.map(\.name) == (1...32).map { String(format: "MAP%02d", $0) })
    }

    @Test("VizDoom's freedoom2.wad and UDMF scenarios parse, build geometry and render",
          .enabled(if: RealWADs.vizdoomDirectory != nil, "vizdoom package not found: set PLAYTEST_VIZDOOM_DIR or create .venv"))
    func vizdoomMaps() throws {
        if let freedoom2 = RealWADs.vizdoomFreedoom2 { try checkEveryMap(of: freedoom2, expectedFormat: .doom) }
        let scenarios = RealWADs.vizdoomScenarios
        #expect(scenarios.count >= 15)
        for path in scenarios {
            try checkEveryMap(of: path, expectedFormat: .udmf)
        }
    }

    private func checkEveryMap(of path: String, expectedFormat: MapFormat) throws {
        let wad = try RealWADs.load(path)
        let name = (path as NSString).lastPathComponent
        #expect(!wad.maps.isEmpty, "\(name) has no maps")
        // The scenarios are PWADs on top of freedoom2: give them its textures and flats too.
        var resources = MapResources(wads: [wad])
        if wad.kind == .pwad, let base = Self.freedoom2Resources { resources.formUnion(base) }
        for entry in wad.maps {
            #expect(entry.format == expectedFormat, "\(name) \(entry.name)")
            let map = try MapParser.parse(wad: wad, map: entry)
            #expect(!map.linedefs.isEmpty && !map.sectors.isEmpty, "\(name) \(entry.name) is empty")
            let geometry = MapGeometry(map)
            #expect(geometry.area > 0, "\(name) \(entry.name) has no area")
            // The player 1 start (or the first deathmatch start) stands inside a sector, and that sector is reachable.
            if let start = geometry.playerStarts.first ?? geometry.deathmatchStarts.first.map({ (player: 0, thing: $0) }) {
                let sector = geometry.sector(at: map.things[start.thing].position)
                #expect(sector != nil, "\(name) \(entry.name): start outside every sector")
                if let sector { #expect(geometry.reachableSectors().contains(sector)) }
            }
            let report = MapReport(geometry: geometry, resources: resources.textures.isEmpty ? nil : resources)
            // Every texture and flat these maps use exists in their WADs: this checks the TEXTURE1/2 and flat readers.
            let unknown = report.findings.filter { $0.kind == .unknownTexture || $0.kind == .unknownFlat }
            #expect(unknown.isEmpty, "\(name) \(entry.name): \(unknown.prefix(3).map(\.message))")
            #expect(!resources.textures.isEmpty && !resources.flats.isEmpty)
            let svg = SVGMapRenderer(geometry: geometry).render(findings: report.findings)
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
            #expect(svg.components(separatedBy: "<line data-line=").count - 1 == map.linedefs.count)
            try SVGDumps.write(svg, name: "\(name)-\(entry.name)")
        }
    }
}

/// Writes rendered pictures to `PLAYTEST_MAP_SVG_DIR` when it is set, to look at them.
enum SVGDumps {
    static func write(_ svg: String, name: String) throws {
        guard let directory = ProcessInfo.processInfo.environment["PLAYTEST_MAP_SVG_DIR"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(svg.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).svg"))
    }
}
