import Foundation
import PlaytestStorage
import SQLKit

/// Jobs claimed and completed per second by N concurrent workers: through `JobQueue` ("queue"), or
/// through the bare `SELECT … FOR UPDATE SKIP LOCKED` loop with the same driver ("bare").
struct QueueBenchmark {
    let sql: SQLEngine
    let queue: JobQueue
    let workers: Int
    let jobs: Int

    func run(mode: String) async throws -> Double {
        try await sql.sql.raw("DELETE FROM jobs").run()
        for start in stride(from: 0, to: jobs, by: 500) {
            let batch = (start..<min(start + 500, jobs)).map { _ in UUID().uuidString.lowercased() }
            var insert = SQLQueryString("INSERT INTO jobs (id, kind, queue, payload, state, priority, attempt, max_attempts, scheduled_at, created_at, cancel_requested, errors) VALUES ")
            for (index, id) in batch.enumerated() {
                if index > 0 { insert.appendLiteral(", ") }
                insert.appendInterpolation(unsafeRaw: "('\(id)', 'probe', 'default', '{}', 'available', 2, 0, 3, 0, 0, false, '[]')")
            }
            try await sql.sql.raw(insert).run()
        }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in 0..<workers {
                group.addTask {
                    let worker = "bench-\(slot)"
                    while true {
                        let done = mode == "bare" ? try await bareClaimAndComplete() : try await queueClaimAndComplete(worker)
                        if !done { return }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let remaining = try await sql.sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE state <> 'completed'").first()?.decode(column: "n", as: Int.self) ?? -1
        guard remaining == 0 else { throw BenchmarkError(message: "\(remaining) jobs were not completed") }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func queueClaimAndComplete(_ worker: String) async throws -> Bool {
        guard let job = try await queue.claim(workerID: worker, kinds: ["probe"], lease: .seconds(30)).first else { return false }
        try await queue.complete(id: job.id, workerID: worker)
        return true
    }

    /// The reference: the textbook SKIP LOCKED claim and a plain completion update, nothing else.
    private func bareClaimAndComplete() async throws -> Bool {
        let rows = try await sql.sql.raw("""
            UPDATE jobs SET state = 'running' WHERE id = (
                SELECT id FROM jobs WHERE state = 'available' ORDER BY priority, scheduled_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            ) RETURNING id
            """).all()
        guard let id = try rows.first?.decode(column: "id", as: String.self) else { return false }
        try await sql.sql.raw("UPDATE jobs SET state = 'completed' WHERE id = \(bind: id)").run()
        return true
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
