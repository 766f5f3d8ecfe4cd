import Foundation
import PlaytestCore
import SQLKit

/// A worker process as it last reported itself.
public struct WorkerRecord: Sendable, Codable, Equatable {
    public var id: String
    public var hostname: String
    public var pid: Int
    public var concurrency: Int
    public var startedAt: Int64
    public var heartbeatAt: Int64
    /// JSON array of job ids.
    public var runningJobs: String
    public var version: String
    public var stoppedAt: Int64?

    public init(
        id: String, hostname: String, pid: Int, concurrency: Int, startedAt: Int64, heartbeatAt: Int64,
        runningJobs: String, version: String, stoppedAt: Int64?
    ) {
        self.id = id
        self.hostname = hostname
        self.pid = pid
        self.concurrency = concurrency
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.runningJobs = runningJobs
        self.version = version
        self.stoppedAt = stoppedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, hostname, pid, concurrency, version
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
        case runningJobs = "running_jobs"
        case stoppedAt = "stopped_at"
    }

    public var runningJobIDs: [String] {
        (try? PlaytestJSON.decoder().decode([String].self, from: Data(runningJobs.utf8))) ?? []
    }
}

/// The `workers` table: each worker process upserts its row every few seconds.
public struct WorkerRegistry: Sendable {
    /// A worker whose heartbeat is older than this is considered gone.
    public static let aliveWindowMilliseconds: Int64 = 30_000

    let sql: SQLEngine
    let clock: any JobClock

    public init(sql: SQLEngine, clock: any JobClock = SystemJobClock()) {
        self.sql = sql
        self.clock = clock
    }

    public func heartbeat(_ worker: WorkerRecord) async throws {
        var record = worker
        record.heartbeatAt = clock.nowMilliseconds()
        let updated = try await sql.sql.raw("""
            UPDATE workers SET heartbeat_at = \(bind: record.heartbeatAt), running_jobs = \(bind: record.runningJobs),
                stopped_at = \(bind: record.stoppedAt)
            WHERE id = \(bind: record.id) RETURNING id
            """).all()
        if updated.isEmpty {
            try await sql.sql.insert(into: "workers").model(record).run()
        }
    }

    /// Workers that heartbeated recently and have not stopped.
    public func alive() async throws -> [WorkerRecord] {
        let since = clock.nowMilliseconds() - Self.aliveWindowMilliseconds
        return try await sql.sql.raw("""
            SELECT * FROM workers WHERE heartbeat_at >= \(bind: since) AND stopped_at IS NULL ORDER BY started_at
            """).all().map { try $0.decode(model: WorkerRecord.self) }
    }
}
