import Foundation
import SQLKit

/// Read-only listings of the queue for the queue page and the jobs API.
extension JobQueue {
    /// Jobs in any of `states` (all states when empty), most recently active first: by the time
    /// they finished, else were last attempted, else were created.
    public func list(states: [JobState], limit: Int) async throws -> [Job] {
        let limit = max(1, min(limit, 1000))
        let rows: [any SQLRow]
        if states.isEmpty {
            rows = try await sql.sql.raw("""
                SELECT * FROM jobs ORDER BY COALESCE(finalized_at, attempted_at, created_at) DESC, id LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await sql.sql.raw("""
                SELECT * FROM jobs WHERE state IN (\(binds: states.map(\.rawValue)))
                ORDER BY COALESCE(finalized_at, attempted_at, created_at) DESC, id LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { try $0.decode(model: Job.self) }
    }

    /// The jobs with these ids (e.g. the ones workers say they are running), in no particular order.
    public func jobs(ids: [String]) async throws -> [Job] {
        guard !ids.isEmpty else { return [] }
        return try await sql.sql.raw("SELECT * FROM jobs WHERE id IN (\(binds: ids))").all().map { try $0.decode(model: Job.self) }
    }
}

extension WorkerRegistry {
    /// Every worker row, alive or not, newest heartbeat first: the queue page shows the recently
    /// gone ones too, greyed out.
    public func recent(limit: Int) async throws -> [WorkerRecord] {
        try await sql.sql.raw("""
            SELECT * FROM workers ORDER BY heartbeat_at DESC LIMIT \(bind: max(1, min(limit, 500)))
            """).all().map { try $0.decode(model: WorkerRecord.self) }
    }

    /// Now, in the registry's clock (epoch milliseconds), to compute heartbeat ages with.
    public var nowMilliseconds: Int64 { clock.nowMilliseconds() }
}
