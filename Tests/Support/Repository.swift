import Foundation
import PlaytestCore

/// Where the test fixtures live: the repository around the tests, its `.venv` (the agent runtime, VizDoom's WADs)
/// and its `agent/` folder.
public enum Repository {
    /// The repository root (this file is `Tests/Support/Repository.swift`; the tests may be reached through a
    /// symlink, so it is resolved first).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The agent runtime's interpreter.
    public static var python: String { path(".venv/bin/python") }
    public static var agentDirectory: String { path("agent") }

    /// The vizdoom package of the venv (`PLAYTEST_VIZDOOM_DIR` overrides), nil when it is not installed.
    public static let vizdoomDirectory: String? = {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["PLAYTEST_VIZDOOM_DIR"] {
            return fileManager.fileExists(atPath: explicit) ? explicit : nil
        }
        let lib = root.appendingPathComponent(".venv/lib")
        let versions = (try? fileManager.contentsOfDirectory(atPath: lib.path)) ?? []
        return versions.sorted().filter { $0.hasPrefix("python") }
            .map { lib.appendingPathComponent("\($0)/site-packages/vizdoom").path }
            .first { fileManager.fileExists(atPath: $0 + "/freedoom2.wad") }
    }()
}

/// The agent runtime's sample transcripts in `agent/tests/data/` (real stdout of real runs, and `bad_*` files with
/// one defect each). `PLAYTEST_AGENT_TRANSCRIPTS` overrides the folder; tests skip when it is absent.
public enum AgentTranscripts {
    public static let directory: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["PLAYTEST_AGENT_TRANSCRIPTS"] {
            return FileManager.default.fileExists(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        let data = Repository.root.appendingPathComponent("agent/tests/data")
        return FileManager.default.fileExists(atPath: data.path) ? data : nil
    }()

    public static var isAvailable: Bool { directory != nil }

    /// File names present, sorted.
    public static func names(prefix: String = "") -> [String] {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".jsonl") && $0.hasPrefix(prefix) }.sorted()
    }

    /// The lines of a transcript, without their `\n`.
    public static func lines(_ name: String) throws -> [String] {
        guard let directory else { throw LaunchError("agent/tests/data is not reachable (transcript \(name))") }
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// A transcript's messages, decoded as the worker decodes them.
    public static func messages(_ name: String) throws -> [AgentMessage] {
        let decoder = AgentLineDecoder()
        return try lines(name).map { try decoder.decode($0) }
    }
}
