import Foundation
import Logging
@testable import PlaytestStorage
import SQLKit
import Testing

/// A migrated, private database for one test: a temporary SQLite file, or a fresh schema on the
/// PostgreSQL named by `PLAYTEST_TEST_DATABASE_URL`.
struct TestDatabase: Sendable {
    enum Kind: String, Sendable, CustomTestStringConvertible, CaseIterable {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    static let postgresURL = ProcessInfo.processInfo.environment["PLAYTEST_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The kinds this machine can run: SQLite always, PostgreSQL when configured.
    static var available: [Kind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    let kind: Kind
    let engine: SQLEngine
    /// What a child process needs to open the same database: a URL or file path, and a schema or "-".
    let target: String
    let schema: String

    static func make(_ kind: Kind) async throws -> TestDatabase {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-\(UUID().uuidString).sqlite").path
            let engine = try await SQLEngine.open(.sqlite(path: path), logger: logger)
            try await engine.migrate()
            return TestDatabase(kind: kind, engine: engine, target: path, schema: "-")
        case .postgres:
            guard let url = postgresURL else { throw TestSetupError(message: "PLAYTEST_TEST_DATABASE_URL is not set") }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try await SQLEngine.open(.postgres(url: url), logger: logger)
            try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            await admin.shutdown()
            let engine = try await SQLEngine.open(.postgres(url: url), postgresSchema: schema, logger: logger)
            try await engine.migrate()
            return TestDatabase(kind: kind, engine: engine, target: url, schema: schema)
        }
    }

    func close() async {
        if kind == .postgres {
            try? await engine.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
        }
        await engine.shutdown()
        if kind == .sqlite {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        }
    }

    /// Runs `body` with a fresh database and always closes it.
    static func with<T>(_ kind: Kind, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await make(kind)
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

struct TestSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A clock the test moves by hand, so backoff and leases are checked without sleeping.
final class ManualClock: JobClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    init(_ start: Int64 = 1_700_000_000_000) { now = start }

    func nowMilliseconds() -> Int64 {
        lock.lock(); defer { lock.unlock() }
        return now
    }

    func advance(milliseconds: Int64) {
        lock.lock(); defer { lock.unlock() }
        now += milliseconds
    }
}
