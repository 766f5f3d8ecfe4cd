import Foundation
import Logging
import NIOCore
import SQLKit

/// The SQLKit handle that every hand-written statement goes through (`SQLEngine.sql`), timed per statement kind
/// (select, insert, update, delete, other) into ``EngineLatency``. Fluent's model queries are not timed.
struct TimedSQLDatabase: SQLDatabase {
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let start = ContinuousClock.now
        let operation = Self.operation(of: base.serialize(query).sql)
        return base.execute(sql: query, onRow).always { _ in EngineLatency.record("sql", operation, since: start) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let operation = Self.operation(of: base.serialize(query).sql)
        try await EngineLatency.measure("sql", operation) { try await base.execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(TimedSQLDatabase(base: $0)) }
    }

    /// The statement's first keyword, from a fixed set so that the metric's labels stay few.
    static func operation(of sql: String) -> String {
        let keyword = sql.drop { $0 == " " || $0 == "\n" || $0 == "(" }.prefix { $0.isLetter }.lowercased()
        switch keyword {
        case "select", "with": return "select"
        case "insert": return "insert"
        case "update": return "update"
        case "delete": return "delete"
        default: return "other"
        }
    }
}
