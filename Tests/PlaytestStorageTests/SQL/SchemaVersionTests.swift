import Foundation
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

/// `serve` and `worker` do not start on a database whose schema is not theirs; the message says what to do.
@Suite("Schema version")
struct SchemaVersionTests {
    @Test("an empty database is version 0 and refused with the versions and `playtest migrate`", arguments: TestDatabase.available)
    func empty(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind, migrate: false) { db in
            let version = try await db.engine.schemaVersion()
            #expect(version.found == 0 && version.needed == PlaytestMigrations.all().count && !version.isCurrent)
            let error = await #expect(throws: SchemaError.self) { try await db.engine.requireCurrentSchema() }
            let message = error.map(String.init(describing:)) ?? ""
            #expect(message.contains("version 0") && message.contains("version \(version.needed)") && message.contains("playtest migrate"), "\(message)")
        }
    }

    @Test("a database a migration behind is refused; once migrated it is current", arguments: TestDatabase.available)
    func behindThenCurrent(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let last = try #require(PlaytestMigrations.all().last?.name)
            try await db.engine.sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: last)").run()
            let needed = PlaytestMigrations.all().count
            #expect(try await db.engine.schemaVersion() == SchemaVersion(found: needed - 1, needed: needed, unknown: []))
            await #expect(throws: SchemaError.behind(found: needed - 1, needed: needed)) { try await db.engine.requireCurrentSchema() }
            try await db.engine.sql.raw("""
                INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: last), 9, \(bind: Date()), \(bind: Date()))
                """).run()
            try await db.engine.requireCurrentSchema()
        }
    }

    @Test("a database migrated by a newer playtest is refused too", arguments: TestDatabase.available)
    func ahead(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            try await db.engine.sql.raw("""
                INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
                VALUES (\(bind: UUID()), 'PlaytestStorage.FromTheFuture', 9, \(bind: Date()), \(bind: Date()))
                """).run()
            let error = await #expect(throws: SchemaError.self) { try await db.engine.requireCurrentSchema() }
            #expect(error.map(String.init(describing:))?.contains("FromTheFuture") == true)
        }
    }

    @Test("opening the engines without migrating stops at an old schema", arguments: TestDatabase.available)
    func enginesRefuseAnOldSchema(_ kind: TestDatabase.Kind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-schema-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = PlaytestConfiguration(dataDirectory: folder)
        var database: PrivateDatabase?
        if kind == .postgres {
            let created = try await PrivateDatabase.create()
            database = created
            configuration.sql = .postgres(url: created.url)
        }
        await #expect(throws: SchemaError.behind(found: 0, needed: PlaytestMigrations.all().count)) {
            _ = try await PlaytestEngines.open(configuration, migrate: false, logger: TestDatabase.quietLogger())
        }
        await database?.drop()
    }
}

/// Database errors say what PostgreSQL said, not PostgresNIO's generic text.
@Suite("Database errors", .enabled(if: TestDatabase.postgresURL != nil, "PLAYTEST_TEST_DATABASE_URL is not set"))
struct DatabaseErrorTests {
    @Test("a query on a missing table names the SQLSTATE and the server's message")
    func missingTable() async throws {
        try await TestDatabase.with(.postgres) { db in
            do {
                try await db.engine.sql.raw("SELECT * FROM no_such_table").run()
                Issue.record("the query should fail")
            } catch {
                let described = DatabaseError.describe(error)
                #expect(DatabaseError(error)?.code == "42P01")
                #expect(described.contains("no_such_table") && described.contains("42P01"), "\(described)")
                #expect(!described.contains("Generic description"))
            }
        }
    }
}
