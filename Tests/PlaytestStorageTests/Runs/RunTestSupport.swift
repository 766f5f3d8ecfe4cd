import FluentKit
import Foundation
import PlaytestCore
@testable import PlaytestStorage

/// Maps and runs for the run store tests.
enum RunFixtures {
    /// A map row to hang runs on (runs reference maps).
    static func map(_ database: TestDatabase, name: String = "Test map") async throws -> UUID {
        let id = UUID()
        let record = try MapRecord(
            id: id, name: name, filename: "test.wad", blobKey: "maps/\(id).wad", sizeBytes: 1, sha256: id.uuidString,
            wadKind: "PWAD", formats: ["doom"], summaries: [], builtin: false, scenario: nil)
        try await record.create(on: database.engine.database)
        return id
    }

    static func plan(scenario: String? = nil, episodes: Int? = 3, maxIterations: Int? = nil) -> RunPlan {
        RunPlan(mapName: "MAP01", scenario: scenario, agent: maxIterations == nil ? "random" : "dqn",
                episodes: episodes, maxIterations: maxIterations)
    }

    @discardableResult
    static func run(
        _ database: TestDatabase, id: String, kind: RunRecord.Kind = .testing, status: RunRecord.Status = .pending,
        mapID: UUID, target: Int = 3, scenario: String? = nil
    ) async throws -> RunRecord {
        let record = try RunRecord(
            id: id, kind: kind, status: status, mapID: mapID, mapName: "MAP01", agent: kind == .testing ? "random" : "dqn",
            params: #"{"episodes":3}"#, plan: plan(scenario: scenario, episodes: kind == .testing ? target : nil,
                                                 maxIterations: kind == .training ? target : nil),
            target: target)
        try await RunStore(sql: database.engine).insert(record)
        return record
    }

    static func steps(episode: Int, count: Int, from first: Int = 1) -> [StepRow] {
        (first..<(first + count)).map { step in
            StepRow(episode: episode, step: step, tic: step * 4, x: Double(step), y: -Double(step), angle: 90, health: 100 - step % 50,
                    armor: 0, ammo: 50 - step % 50, weapon: 2, killcount: step / 100, action: step % 3,
                    reward: step % 7 == 0 ? nil : Double(step) / 10)
        }
    }

    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)
}

/// The agent runtime's recorded transcripts in agent/tests/data.
enum RunTranscripts {
    static let directory: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["PLAYTEST_AGENT_TRANSCRIPTS"] {
            return FileManager.default.fileExists(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        // Tests/PlaytestStorageTests/Runs/RunTestSupport.swift → the repository root (through a dev package's symlinks).
        var root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let data = root.appendingPathComponent("agent/tests/data")
        return FileManager.default.fileExists(atPath: data.path) ? data : nil
    }()

    static func messages(_ name: String) throws -> [AgentMessage] {
        guard let directory else { throw TestSetupError(message: "agent/tests/data is not reachable") }
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let decoder = AgentLineDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(String($0)) }
    }
}
