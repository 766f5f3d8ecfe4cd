import Foundation
import PlaytestTestSupport
@testable import PlaytestCore

/// Locates the real WAD files the tests read: Freedoom and FreeDM from the Debian packages, and VizDoom's
/// freedoom2.wad and scenarios from the Python venv. Tests that need a missing file are skipped.
enum RealWADs {
    static let debianDirectory = ProcessInfo.processInfo.environment["PLAYTEST_DOOM_WAD_DIR"] ?? "/usr/share/games/doom"

    static var freedoom1: String? { existing("\(debianDirectory)/freedoom1.wad") }
    static var freedoom2: String? { existing("\(debianDirectory)/freedoom2.wad") }
    static var freedm: String? { existing("\(debianDirectory)/freedm.wad") }
    static var debian: [String] { [freedoom1, freedoom2, freedm].compactMap { $0 } }

    /// The vizdoom package folder of the repository's venv.
    static let vizdoomDirectory: String? = Repository.vizdoomDirectory

    static var vizdoomFreedoom1: String? { vizdoomDirectory.flatMap { existing("\($0)/freedoom1.wad") } }
    static var vizdoomFreedoom2: String? { vizdoomDirectory.flatMap { existing("\($0)/freedoom2.wad") } }

    static var vizdoomScenarios: [String] {
        guard let directory = vizdoomDirectory.map({ "\($0)/scenarios" }),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".wad") }.sorted().map { "\(directory)/\($0)" }
    }

    /// Every real WAD available on this machine.
    static var all: [String] {
        [freedoom1, freedoom2, freedm, vizdoomFreedoom2].compactMap { $0 } + vizdoomScenarios
    }

    static func load(_ path: String) throws -> WAD {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try WAD(bytes: [UInt8](data))
    }

    /// The geometry of one map of a WAD (its name, as E2M4 or MAP11), for the planner's tests.
    static func geometry(of name: String, in wad: WAD) throws -> MapGeometry {
        guard let entry = wad.maps.first(where: { $0.name == name }) else { throw MissingMap(name: name) }
        return MapGeometry(try MapParser.parse(wad: wad, map: entry))
    }

    /// The planner's result for one map of a WAD at skill 2, as the real-map tests plan it.
    static func plan(_ name: String, in wad: WAD) throws -> ProgressionPlanner.Result {
        ProgressionPlanner.plan(geometry: try geometry(of: name, in: wad), skill: 2)
    }

    struct MissingMap: Error { let name: String }

    private static func existing(_ path: String) -> String? {
        FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
