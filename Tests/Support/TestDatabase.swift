import Foundation
import Logging
import PlaytestStorage
import SQLKit

/// A migrated, private database for one test: a temporary SQLite file, or a fresh schema on the PostgreSQL named by
/// `PLAYTEST_TEST_DATABASE_URL` (`scripts/test-services.sh` starts one).
public struct TestDatabase: Sendable {
    public enum Kind: String, Sendable, CustomStringConvertible, CaseIterable {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    public static let postgresURL = ProcessInfo.processInfo.environment["PLAYTEST_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    /// Why PostgreSQL tests are skipped when it is not configured.
    public static let postgresMissing = "PLAYTEST_TEST_DATABASE_URL is not set (eval \"$(scripts/test-services.sh start)\")"

    /// The kinds this machine can run: SQLite always, PostgreSQL when configured.
    public static var available: [Kind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public let kind: Kind
    public let engine: SQLEngine
    /// What a child process needs to open the same database: a URL or file path, and a schema or "-".
    public let target: String
    public let schema: String

    public static func quietLogger() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A database; `migrate: false` leaves it empty (schema version 0).
    public static func make(_ kind: Kind, migrate: Bool = true) async throws -> TestDatabase {
        let logger = quietLogger()
        let database: TestDatabase
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-\(UUID().uuidString).sqlite").path
            database = TestDatabase(kind: kind, engine: try await SQLEngine.open(.sqlite(path: path), logger: logger), target: path, schema: "-")
        case .postgres:
            guard let url = postgresURL else { throw LaunchError(postgresMissing) }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try await SQLEngine.open(.postgres(url: url), logger: logger)
            try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            await admin.shutdown()
            let engine = try await SQLEngine.open(.postgres(url: url), postgresSchema: schema, logger: logger)
            database = TestDatabase(kind: kind, engine: engine, target: url, schema: schema)
        }
        if migrate { try await database.engine.migrate() }
        return database
    }

    public func close() async {
        if kind == .postgres {
            try? await engine.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
        }
        await engine.shutdown()
        if kind == .sqlite {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        }
    }

    /// Runs `body` with a fresh database and always closes it.
    public static func with<T>(_ kind: Kind, migrate: Bool = true, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await make(kind, migrate: migrate)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

/// A whole PostgreSQL database of its own on the configured server (for tests that open engines from a URL, as
/// `serve` and `worker` do), dropped by ``drop()``.
public struct PrivateDatabase: Sendable {
    public let name: String
    /// `PLAYTEST_TEST_DATABASE_URL` pointing at this database.
    public let url: String

    public static func create() async throws -> PrivateDatabase {
        guard let server = TestDatabase.postgresURL else { throw LaunchError(TestDatabase.postgresMissing) }
        let name = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try await SQLEngine.open(.postgres(url: server), logger: TestDatabase.quietLogger())
        do {
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        var components = URLComponents(string: server)
        components?.path = "/" + name
        return PrivateDatabase(name: name, url: components?.string ?? server)
    }

    public func drop() async {
        guard let server = TestDatabase.postgresURL,
              let admin = try? await SQLEngine.open(.postgres(url: server), logger: TestDatabase.quietLogger()) else { return }
        try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
        await admin.shutdown()
    }
}
