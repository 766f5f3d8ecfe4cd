import FluentKit
import SQLKit

/// The keys the player held at each step (`run_steps.keys`, ``KeySet``'s six bits), from agents that track them (the
/// navigator); NULL otherwise and for the rows stored before. The sequence-break detector reads it.
struct StepKeysColumn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["ALTER TABLE run_steps ADD COLUMN keys \(t.integer)"])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["ALTER TABLE run_steps DROP COLUMN keys"])
    }
}
