import FluentKit
import Foundation
import SQLKit
import FluentSQLiteDriver

/// How `TestTelemetryStore.insertSteps` writes a batch of steps. Both are idempotent
/// (`ON CONFLICT DO NOTHING` on (run_id, episode_num, step)); the benchmark in bench/ingest
/// measures them side by side.
public enum StepIngestMethod: String, Sendable, CaseIterable {
    /// PostgreSQL only: one statement per batch binding one array per column
    /// (`INSERT … SELECT … FROM unnest($1::bigint[], …)`). SQLite falls back to `multiRowValues`.
    case unnest
    /// Multi-row `INSERT … VALUES (…), (…)` with bound parameters, chunked under the engine's
    /// parameter limit; on SQLite all chunks of a batch share one transaction.
    case multiRowValues

    /// The faster method on each engine (bench/results/ingest.md).
    public static let fastest: StepIngestMethod = .unnest
}

/// Writes step rows in bulk.
struct StepIngest {
    static let columns = ["run_id", "episode_num", "step", "tic", "x", "y", "angle", "health", "armor", "ammo",
                          "weapon", "killcount", "action", "reward", "keys"]
    static func maxParameters(_ dialect: SQLEngine.Dialect) -> Int { MultiRowInsert<StepRow>.maxParameters(dialect) }

    let engine: SQLEngine
    let method: StepIngestMethod

    func insert(runID: String, _ rows: [StepRow]) async throws {
        guard !rows.isEmpty else { return }
        try await write(runID: runID, rows)
        IngestRows.count(rows.count, into: "run_steps")
    }

    private func write(runID: String, _ rows: [StepRow]) async throws {
        switch (engine.dialect, method) {
        case (.postgres, .unnest):
            // A batch is new unless a retry sends it again, so the plain insert comes first: skipping the
            // speculative insertion of `ON CONFLICT` halves the server's work per row (bench/results/ingest.md).
            // A failed statement stores nothing, so on a duplicate key the batch goes again, skipping what is there.
            do {
                try await engine.sql.raw(Self.unnestStatement(runID: runID, rows, skippingStored: false)).run()
            } catch let error where DatabaseError(error)?.isUniqueViolation == true {
                try await engine.sql.raw(Self.unnestStatement(runID: runID, rows, skippingStored: true)).run()
            }
        case (.postgres, .multiRowValues):
            for statement in try Self.valuesStatements(runID: runID, rows, maxParameters: Self.maxParameters(.postgres)) {
                try await engine.sql.raw(statement).run()
            }
        case (.sqlite, _):
            if let sqlite = engine.database as? any SQLiteDatabase {
                try await Self.insertSQLite(sqlite, runID: runID, rows)
                return
            }
            let statements = try Self.valuesStatements(runID: runID, rows, maxParameters: Self.maxParameters(.sqlite))
            if statements.count == 1 {
                try await engine.sql.raw(statements[0]).run()
            } else {
                try await engine.transaction { database in
                    let sql = try RunColumnTypes(database).sql
                    for statement in statements { try await sql.raw(statement).run() }
                }
            }
        }
    }

    /// One statement, one array parameter per column. A missing reward travels as NaN (the agent
    /// never sends NaN: a non-finite reward is null) and missing keys as −1; both become NULL again in SQL. `skippingStored` adds
    /// `ON CONFLICT DO NOTHING`; without it a row already stored fails the whole statement.
    static func unnestStatement(runID: String, _ rows: [StepRow], skippingStored: Bool) -> SQLQueryString {
        var episode = [Int](), step = [Int](), tic = [Int](), health = [Int](), armor = [Int](), ammo = [Int]()
        var weapon = [Int](), kills = [Int](), action = [Int]()
        var x = [Double](), y = [Double](), angle = [Double](), reward = [Double](), keys = [Int]()
        for row in rows {
            episode.append(row.episode); step.append(row.step); tic.append(row.tic)
            x.append(row.x); y.append(row.y); angle.append(row.angle)
            health.append(row.health); armor.append(row.armor); ammo.append(row.ammo)
            weapon.append(row.weapon); kills.append(row.killcount); action.append(row.action)
            reward.append(row.reward ?? .nan); keys.append(row.keys.map { Int($0.bits) } ?? -1)
        }
        var statement: SQLQueryString = """
            INSERT INTO run_steps (run_id, episode_num, step, tic, x, y, angle, health, armor, ammo, weapon, killcount, action, reward, keys)
            SELECT \(bind: runID), e, s, t, x, y, a, h, ar, am, w, k, ac, NULLIF(r, 'NaN'::float8), NULLIF(ks, -1)
            FROM unnest(\(bind: episode)::int8[], \(bind: step)::int8[], \(bind: tic)::int8[], \(bind: x)::float8[],
                        \(bind: y)::float8[], \(bind: angle)::float8[], \(bind: health)::int8[], \(bind: armor)::int8[],
                        \(bind: ammo)::int8[], \(bind: weapon)::int8[], \(bind: kills)::int8[], \(bind: action)::int8[],
                        \(bind: reward)::float8[], \(bind: keys)::int8[])
                 AS u(e, s, t, x, y, a, h, ar, am, w, k, ac, r, ks)
            """
        if skippingStored { statement.appendLiteral(" ON CONFLICT DO NOTHING") }
        return statement
    }

    /// SQLite straight through SQLiteNIO: the same multi-row statements with `SQLiteData` binds
    /// (no Encodable round trip per value), every chunk of the batch in one transaction.
    static func insertSQLite(_ sqlite: any SQLiteDatabase, runID: String, _ rows: [StepRow]) async throws {
        let rowsPerStatement = maxParameters(.sqlite) / columns.count
        let runIDValue = SQLiteData.text(runID)
        try await sqlite.withConnection { connection in
            let chunked = rows.count > rowsPerStatement
            if chunked { _ = try await connection.query("BEGIN IMMEDIATE") }
            do {
                var start = 0
                while start < rows.count {
                    let end = min(start + rowsPerStatement, rows.count)
                    var binds: [SQLiteData] = []
                    binds.reserveCapacity((end - start) * columns.count)
                    for row in rows[start..<end] {
                        binds.append(runIDValue)
                        binds.append(.integer(row.episode)); binds.append(.integer(row.step)); binds.append(.integer(row.tic))
                        binds.append(.float(row.x)); binds.append(.float(row.y)); binds.append(.float(row.angle))
                        binds.append(.integer(row.health)); binds.append(.integer(row.armor)); binds.append(.integer(row.ammo))
                        binds.append(.integer(row.weapon)); binds.append(.integer(row.killcount)); binds.append(.integer(row.action))
                        binds.append(row.reward.map { .float($0) } ?? .null)
                        binds.append(row.keys.map { .integer(Int($0.bits)) } ?? .null)
                    }
                    _ = try await connection.query(valuesSQL(rowCount: end - start), binds)
                    start = end
                }
                if chunked { _ = try await connection.query("COMMIT") }
            } catch {
                if chunked { _ = try? await connection.query("ROLLBACK") }
                throw error
            }
        }
    }

    /// `INSERT … VALUES (?, …), … ON CONFLICT DO NOTHING` for `rowCount` rows (SQLite placeholders).
    static func valuesSQL(rowCount: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        var sql = "INSERT INTO run_steps (\(columns.joined(separator: ", "))) VALUES "
        sql.reserveCapacity(sql.utf8.count + rowCount * (tuple.utf8.count + 1) + 24)
        for index in 0..<rowCount {
            if index > 0 { sql += "," }
            sql += tuple
        }
        sql += " ON CONFLICT DO NOTHING"
        return sql
    }

    /// Multi-row VALUES statements, each under `maxParameters` bound parameters.
    static func valuesStatements(runID: String, _ rows: [StepRow], maxParameters: Int) throws -> [SQLQueryString] {
        let insert = MultiRowInsert<StepRow>(table: "run_steps", columns: columns) { row, values in
            values.add(runID); values.add(row.episode); values.add(row.step); values.add(row.tic); values.add(row.x)
            values.add(row.y); values.add(row.angle); values.add(row.health); values.add(row.armor); values.add(row.ammo)
            values.add(row.weapon); values.add(row.killcount); values.add(row.action); values.add(row.reward)
            values.add(row.keys.map { Int($0.bits) })
        }
        return try insert.statements(rows, maxParameters: maxParameters)
    }
}
