import FluentKit
import SQLKit

/// Column types of the run tables on each SQL engine, the same ones Fluent's drivers use for its
/// models (SQLite stores dates as REAL seconds since 1970, PostgreSQL as TIMESTAMPTZ).
struct RunColumnTypes {
    let sql: any SQLDatabase
    let isPostgres: Bool

    init(_ database: any Database) throws {
        guard let sql = database as? any SQLDatabase else {
            throw RunStoreError.unsupportedDatabase("\(type(of: database))")
        }
        self.sql = sql
        self.isPostgres = sql.dialect.name == "postgresql"
    }

    var integer: String { isPostgres ? "BIGINT" : "INTEGER" }
    var double: String { isPostgres ? "DOUBLE PRECISION" : "REAL" }
    var text: String { "TEXT" }
    var bool: String { isPostgres ? "BOOLEAN" : "INTEGER" }
    var date: String { isPostgres ? "TIMESTAMPTZ" : "REAL" }
    /// A run's foreign key: its rows go when the run goes.
    var runReference: String { "TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE" }
    /// SQLite tables keyed by their primary key alone skip the hidden rowid B-tree.
    var keyedTableSuffix: String { isPostgres ? "" : " WITHOUT ROWID" }

    func run(_ statements: [String]) async throws {
        for statement in statements {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }
}
