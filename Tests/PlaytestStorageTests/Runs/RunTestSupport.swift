import FluentKit
import Foundation
import PlaytestTestSupport
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

    @discardableResult
    static func run(
        _ database: TestDatabase, id: String, kind: RunKind = .testing, status: RunStatus = .pending, mapID: UUID, target: Int = 3
    ) async throws -> RunRecord {
        // Storage keeps the plan as text; what is in it is the services' business.
        let record = RunRecord(
            id: id, kind: kind, status: status, mapID: mapID, mapName: "MAP01", agent: kind == .testing ? "random" : "dqn",
            params: #"{"episodes":3}"#, plan: #"{"map_name":"MAP01"}"#, target: target)
        try await RunStore(sql: database.engine).insert(record)
        return record
    }

    static func steps(episode: Int, count: Int, from first: Int = 1) -> [StepRow] {
        (first..<(first + count)).map { step in
            StepRow(episode: episode, step: step, tic: step * 4, x: Double(step), y: -Double(step), angle: 90, health: 100 - step % 50,
                    armor: 0, ammo: 50 - step % 50, weapon: 2, killcount: step / 100, action: step % 3,
                    reward: step % 7 == 0 ? nil : Double(step) / 10, keys: step % 5 == 0 ? nil : KeySet(bits: UInt8(step % 64)))
        }
    }

    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)
}
