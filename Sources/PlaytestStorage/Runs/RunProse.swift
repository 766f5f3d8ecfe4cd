import FluentKit
import Foundation
import SQLKit

/// A run's summary written by the optional LLM (`run_prose`): the prompt as sent (pictures named by their artifact id,
/// not inlined), the model, and its answer or why there is none.
public struct RunProse: Sendable, Hashable {
    public var runID: String
    public var model: String
    public var prompt: String
    public var answer: String?
    public var error: String?
    public var seconds: Double
    public var createdAt: Date

    public init(runID: String, model: String, prompt: String, answer: String?, error: String?, seconds: Double, createdAt: Date) {
        self.runID = runID
        self.model = model
        self.prompt = prompt
        self.answer = answer
        self.error = error
        self.seconds = seconds
        self.createdAt = createdAt
    }
}

struct CreateRunProse: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE run_prose (
                run_id \(t.runReference) PRIMARY KEY,
                model \(t.text) NOT NULL,
                prompt \(t.text) NOT NULL,
                answer \(t.text),
                error \(t.text),
                seconds \(t.double) NOT NULL,
                created_at \(t.date) NOT NULL
            )\(t.keyedTableSuffix)
            """,
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE run_prose"])
    }
}

extension TestTelemetryStore {
    /// Stores the run's prose; a second one replaces the first.
    public func recordProse(_ prose: RunProse) async throws {
        try await sql.raw("""
            INSERT INTO run_prose (run_id, model, prompt, answer, error, seconds, created_at)
            VALUES (\(bind: prose.runID), \(bind: prose.model), \(bind: prose.prompt), \(bind: prose.answer), \(bind: prose.error),
                \(bind: prose.seconds), \(bind: prose.createdAt))
            ON CONFLICT (run_id) DO UPDATE SET model = excluded.model, prompt = excluded.prompt, answer = excluded.answer,
                error = excluded.error, seconds = excluded.seconds, created_at = excluded.created_at
            """).run()
    }

    public func prose(runID: String) async throws -> RunProse? {
        try await sql.raw("""
            SELECT run_id, model, prompt, answer, error, seconds, created_at FROM run_prose WHERE run_id = \(bind: runID)
            """).first().map { row in
            RunProse(runID: try row.decode(column: "run_id", as: String.self), model: try row.decode(column: "model", as: String.self),
                     prompt: try row.decode(column: "prompt", as: String.self), answer: try row.decode(column: "answer", as: String?.self),
                     error: try row.decode(column: "error", as: String?.self), seconds: try row.decode(column: "seconds", as: Double.self),
                     createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }
}
