import FluentKit
import SQLKit

/// The job queue table. Times are epoch milliseconds (BIGINT) so both engines compare them the same way.
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("queue", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("priority", .int, .required)
            .field("attempt", .int, .required)
            .field("max_attempts", .int, .required)
            .field("scheduled_at", .int64, .required)
            .field("created_at", .int64, .required)
            .field("attempted_at", .int64)
            .field("finalized_at", .int64)
            .field("locked_by", .string)
            .field("locked_until", .int64)
            .field("cancel_requested", .bool, .required)
            .field("errors", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The claim query walks this index: ready jobs of a queue in priority, then schedule order.
        try await sql.raw("CREATE INDEX jobs_ready ON jobs (queue, state, priority, scheduled_at)").run()
        // The rescuer looks for running jobs whose lease ran out.
        try await sql.raw("CREATE INDEX jobs_lease ON jobs (state, locked_until)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}

/// Worker processes announce themselves here with a heartbeat; health and the queue page read it.
struct CreateWorkers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("workers")
            .field("id", .string, .identifier(auto: false))
            .field("hostname", .string, .required)
            .field("pid", .int, .required)
            .field("concurrency", .int, .required)
            .field("started_at", .int64, .required)
            .field("heartbeat_at", .int64, .required)
            .field("running_jobs", .string, .required)
            .field("version", .string, .required)
            .field("stopped_at", .int64)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("workers").delete()
    }
}
