import Foundation
@testable import PlaytestCore

/// The agent runtime's sample transcripts in `agent/tests/data/` (real stdout of real runs, and `bad_*` files with
/// one defect each). `PLAYTEST_AGENT_TRANSCRIPTS` overrides the folder; tests skip when it is absent.
enum AgentTranscripts {
    static let directory: URL? = {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["PLAYTEST_AGENT_TRANSCRIPTS"] {
            return fileManager.fileExists(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        // This file is Tests/PlaytestCoreTests/Agent/AgentTranscripts.swift; the folder may be reached through a
        // symlink (a dev package), so resolve it before walking up to the repository root.
        var root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let data = root.appendingPathComponent("agent/tests/data")
        return fileManager.fileExists(atPath: data.path) ? data : nil
    }()

    static var isAvailable: Bool { directory != nil }

    /// File names present, sorted.
    static func names(prefix: String = "") -> [String] {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".jsonl") && $0.hasPrefix(prefix) }.sorted()
    }

    /// The lines of a transcript, without their `\n`.
    static func lines(_ name: String) throws -> [String] {
        guard let directory else { throw MissingTranscript(name: name) }
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    struct MissingTranscript: Error {
        let name: String
    }
}

/// A small deterministic random number generator, so fuzz tests are repeatable.
struct AgentFuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
