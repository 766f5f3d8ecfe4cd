import SQLKit

/// `INSERT INTO <table> (<columns>) VALUES (…), (…) ON CONFLICT DO NOTHING` for many rows at once, split
/// into statements that stay under the engine's bound-parameter limit. One statement per few thousand rows
/// instead of one per row is what keeps a run's writes cheap; `ON CONFLICT DO NOTHING` keeps a retried
/// batch from storing a row twice. `conflict` replaces that clause (an upsert's `ON CONFLICT (…) DO UPDATE`; a
/// statement may then name each key once).
struct MultiRowInsert<Row> {
    /// The statement being built; `values` adds one row's values to it, in column order.
    struct Values {
        fileprivate var query: SQLQueryString
        fileprivate var count = 0

        mutating func add(_ value: some Encodable & Sendable) {
            if count > 0 { query.appendLiteral(", ") }
            query.appendInterpolation(bind: value)
            count += 1
        }
    }

    let table: String
    let columns: [String]
    var conflict = "ON CONFLICT DO NOTHING"
    let values: (Row, inout Values) throws -> Void

    /// PostgreSQL allows 65535 bound parameters per statement, SQLite 32766.
    static func maxParameters(_ dialect: SQLEngine.Dialect) -> Int { dialect == .postgres ? 65_535 : 32_766 }

    func statements(_ rows: some Collection<Row>, maxParameters: Int) throws -> [SQLQueryString] {
        let rowsPerStatement = max(1, maxParameters / columns.count)
        var statements: [SQLQueryString] = []
        var rest = rows[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(rowsPerStatement)
            rest = rest.dropFirst(chunk.count)
            var statement = Values(query: SQLQueryString("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "))
            for (index, row) in chunk.enumerated() {
                statement.query.appendLiteral(index == 0 ? "(" : ", (")
                statement.count = 0
                try values(row, &statement)
                guard statement.count == columns.count else {
                    preconditionFailure("\(table): a row gave \(statement.count) values for \(columns.count) columns")
                }
                statement.query.appendLiteral(")")
            }
            statement.query.appendLiteral(" " + conflict)
            statements.append(statement.query)
        }
        return statements
    }

    /// Runs the statements one after the other.
    func run(_ rows: some Collection<Row>, on engine: SQLEngine) async throws {
        try await run(rows, on: engine.sql, dialect: engine.dialect)
    }

    /// Runs the statements on `sql` (a transaction's connection).
    func run(_ rows: some Collection<Row>, on sql: any SQLDatabase, dialect: SQLEngine.Dialect) async throws {
        for statement in try statements(rows, maxParameters: Self.maxParameters(dialect)) {
            try await sql.raw(statement).run()
        }
        IngestRows.count(rows.count, into: table)
    }
}
