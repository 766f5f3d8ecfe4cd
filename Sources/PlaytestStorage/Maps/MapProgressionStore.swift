import Foundation
import PlaytestCore
import SQLKit

/// `map_progressions`: the progression planner's verdict and route for one map of one WAD at one skill, computed once
/// (by the worker at a run's start, or on the first request) and kept, since a big map takes the planner seconds. A
/// row belongs to the planner `revision` that computed it; a newer planner computes its own.
public struct MapProgressionStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) { self.engine = sql }

    var sql: any SQLDatabase { engine.sql }

    public func plan(sha256: String, map: String, skill: Int, revision: String) async throws -> ProgressionPlan? {
        guard let row = try await sql.raw("""
            SELECT plan FROM map_progressions
            WHERE sha256 = \(bind: sha256) AND map_name = \(bind: map) AND skill = \(bind: skill) AND revision = \(bind: revision)
            """).first() else { return nil }
        return try StoredJSON.decode(ProgressionPlan.self, from: try row.decode(column: "plan", as: String.self), table: "map_progressions")
    }

    /// Keeps the plan; an existing row for the same key (another worker computed it too) is replaced.
    public func save(_ plan: ProgressionPlan, sha256: String, map: String, revision: String, computedMs: Double) async throws {
        let json = try StoredJSON.encode(plan)
        try await sql.raw("""
            INSERT INTO map_progressions (sha256, map_name, skill, revision, verdict, plan, computed_ms, created_at)
            VALUES (\(bind: sha256), \(bind: map), \(bind: plan.skill), \(bind: revision), \(bind: plan.verdict.rawValue), \(bind: json),
                    \(bind: computedMs), \(bind: Date()))
            ON CONFLICT (sha256, map_name, skill, revision) DO UPDATE SET verdict = excluded.verdict, plan = excluded.plan,
                computed_ms = excluded.computed_ms, created_at = excluded.created_at
            """).run()
    }
}
