import Crypto
import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// The maps a new user can play at once: freedoom2.wad (MAP01–MAP32) and the VizDoom scenarios,
/// taken from the agent runtime's vizdoom package and added to the library at first start.
public enum BuiltinMaps {
    /// The vizdoom package folder next to the agent runtime's interpreter (`.venv/bin/python` →
    /// `.venv/lib/python3.X/site-packages/vizdoom`), if it is installed.
    public static func vizdoomDirectory(pythonPath: String) -> String? {
        let venv = URL(fileURLWithPath: pythonPath).deletingLastPathComponent().deletingLastPathComponent()
        let lib = venv.appendingPathComponent("lib")
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: lib.path) else { return nil }
        for version in versions.sorted().reversed() where version.hasPrefix("python") {
            let candidate = lib.appendingPathComponent(version).appendingPathComponent("site-packages/vizdoom")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("freedoom2.wad").path) {
                return candidate.path
            }
        }
        return nil
    }

    /// Textures and flats of freedoom2.wad, the IWAD user maps run on.
    public static func baseResources(vizdoomDirectory: String?) -> MapResources? {
        let candidates = [vizdoomDirectory.map { $0 + "/freedoom2.wad" }, "/usr/share/games/doom/freedoom2.wad"].compactMap { $0 }
        for path in candidates {
            guard let data = FileManager.default.contents(atPath: path), let wad = try? WAD(bytes: [UInt8](data)) else { continue }
            return MapResources(wads: [wad])
        }
        return nil
    }

    /// Adds every built-in WAD that is not in the library yet. Returns how many were added.
    @discardableResult
    public static func seed(into library: MapLibrary, vizdoomDirectory: String, logger: Logger) async -> Int {
        var added = 0
        for item in catalog(vizdoomDirectory: vizdoomDirectory) {
            do {
                let imported = try await library.importWAD(fileAt: item.path, name: item.name, builtin: true, scenario: item.scenario)
                if imported.created { added += 1 }
            } catch {
                logger.warning("could not add built-in map \(item.path): \(Services.describe(error))")
            }
        }
        if added > 0 { logger.info("added \(added) built-in maps to the library") }
        return added
    }

    /// A bundled VizDoom scenario by name (`defend_the_center`, with or without `.cfg`), added to the library as a
    /// built-in map with its scenario; nil when the vizdoom package has no such scenario.
    public static func scenario(named name: String, vizdoomDirectory: String, into library: MapLibrary) async throws -> MapView? {
        let stem = name.hasSuffix(".cfg") ? String(name.dropLast(4)) : name
        guard stem.range(of: #"^[A-Za-z0-9_]+$"#, options: .regularExpression) != nil,
              let item = catalog(vizdoomDirectory: vizdoomDirectory).first(where: { $0.scenario == stem + ".cfg" }) else { return nil }
        return try await library.importWAD(fileAt: item.path, name: item.name, builtin: true, scenario: item.scenario).map
    }

    struct Item {
        var path: String
        var name: String
        var scenario: String?
    }

    static func catalog(vizdoomDirectory: String) -> [Item] {
        var items: [Item] = []
        let freedoom = vizdoomDirectory + "/freedoom2.wad"
        if FileManager.default.fileExists(atPath: freedoom) {
            items.append(Item(path: freedoom, name: "Freedoom: Phase 2", scenario: nil))
        }
        let scenarios = vizdoomDirectory + "/scenarios"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: scenarios)) ?? []
        for file in files.sorted() where file.hasSuffix(".wad") {
            let stem = String(file.dropLast(4))
            let cfg = stem + ".cfg"
            items.append(Item(
                path: scenarios + "/" + file, name: "VizDoom: " + stem.replacingOccurrences(of: "_", with: " "),
                scenario: files.contains(cfg) ? cfg : nil))
        }
        return items
    }

    /// sha256 (hex) and size of a file, read in chunks.
    public static func fileDigest(_ path: String) throws -> (sha256: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BlobError.notFound(path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }
}
