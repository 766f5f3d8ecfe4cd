import Foundation
import SQLKit

/// Checkpoints: rows that point at `.pt` files in the blob store.
extension TrainingTelemetryStore {
    private static let checkpointColumns = """
        id, run_id, iteration, epsilon, final, blob_key, bytes, action_combinations, action_count, scenario, created_at
        """

    /// Records a checkpoint; a second add of the same id, or of the same run and iteration, changes nothing but marks
    /// the stored one final when the second is.
    public func addCheckpoint(_ info: CheckpointInfo) async throws {
        try await sql.raw("""
            INSERT INTO checkpoints (\(unsafeRaw: Self.checkpointColumns))
            VALUES (\(bind: info.id), \(bind: info.runID), \(bind: info.iteration), \(bind: info.epsilon), \(bind: info.final),
                    \(bind: info.blobKey), \(bind: info.bytes), \(bind: info.actionCombinations), \(bind: info.actionCount),
                    \(bind: info.scenario), \(bind: info.createdAt))
            ON CONFLICT DO NOTHING
            """).run()
        // A stop that lands while the periodic checkpoint of this iteration is written makes the agent write the same
        // file again as its final one: the stored row becomes final (a resumed run and the test of it look for it).
        if info.final, let runID = info.runID {
            try await sql.raw("UPDATE checkpoints SET final = \(bind: true) WHERE run_id = \(bind: runID) AND iteration = \(bind: info.iteration)").run()
        }
    }

    /// A run's checkpoints by iteration.
    public func checkpoints(runID: String) async throws -> [CheckpointInfo] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.checkpointColumns) FROM checkpoints WHERE run_id = \(bind: runID) ORDER BY iteration
            """).all().map(Self.checkpoint(from:))
    }

    public func checkpoint(id: String) async throws -> CheckpointInfo? {
        try await sql.raw("SELECT \(unsafeRaw: Self.checkpointColumns) FROM checkpoints WHERE id = \(bind: id)").first().map(Self.checkpoint(from:))
    }

    /// The checkpoint with the highest iteration (where a rescued training run resumes).
    public func latestCheckpoint(runID: String) async throws -> CheckpointInfo? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.checkpointColumns) FROM checkpoints WHERE run_id = \(bind: runID) ORDER BY iteration DESC LIMIT 1
            """).first().map(Self.checkpoint(from:))
    }

    private static func checkpoint(from row: any SQLRow) throws -> CheckpointInfo {
        CheckpointInfo(
            id: try row.decode(column: "id", as: String.self), runID: try row.decode(column: "run_id", as: String?.self),
            iteration: try row.decode(column: "iteration", as: Int.self), epsilon: try row.decode(column: "epsilon", as: Double.self),
            final: try row.decode(column: "final", as: Bool.self), blobKey: try row.decode(column: "blob_key", as: String.self),
            bytes: try row.decode(column: "bytes", as: Int64.self),
            actionCombinations: try row.decode(column: "action_combinations", as: String?.self),
            actionCount: try row.decode(column: "action_count", as: Int?.self), scenario: try row.decode(column: "scenario", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
