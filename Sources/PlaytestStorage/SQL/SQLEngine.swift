import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// The SQL database: SQLite under the data folder (embedded default) or PostgreSQL (`DATABASE_URL`).
///
/// SQL is the source of truth. Fluent models use `database`; the job queue and bulk ingest use raw
/// SQL through `sql`, branching on `dialect` only where the engines differ.
public final class SQLEngine: Sendable {
    public enum Dialect: String, Sendable {
        case sqlite, postgres
    }

    public let dialect: Dialect
    public let databases: Databases
    public let eventLoopGroup: any EventLoopGroup
    /// The PostgreSQL connection settings, for the dedicated LISTEN connection.
    public let postgresConfiguration: PostgresConnection.Configuration?
    let threadPool: NIOThreadPool
    let logger: Logger
    private let databaseID: DatabaseID

    private init(
        dialect: Dialect, databases: Databases, eventLoopGroup: any EventLoopGroup, threadPool: NIOThreadPool,
        postgresConfiguration: PostgresConnection.Configuration?, databaseID: DatabaseID, logger: Logger
    ) {
        self.dialect = dialect
        self.databases = databases
        self.eventLoopGroup = eventLoopGroup
        self.threadPool = threadPool
        self.postgresConfiguration = postgresConfiguration
        self.databaseID = databaseID
        self.logger = logger
    }

    /// Opens the configured database and checks that it answers. Throws `StorageError.unreachable`
    /// with the engine's message when it does not.
    /// `postgresSchema` isolates a PostgreSQL user (tests, benchmarks) in its own schema.
    public static func open(
        _ config: PlaytestConfiguration.SQL, postgresSchema: String? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) async throws -> SQLEngine {
        // SQLite runs each statement on this pool, and its busy handler waits on the thread: with a thread per event
        // loop's connection and one more, the connection holding the write lock always has a thread to finish on.
        let threadPool = NIOThreadPool(numberOfThreads: System.coreCount + 1)
        threadPool.start()
        let databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        let engine: SQLEngine
        switch config {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw StorageError.unreachable(engine: "sqlite", message: "cannot create \(folder): \(error.localizedDescription)")
                }
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            engine = SQLEngine(
                dialect: .sqlite, databases: databases, eventLoopGroup: eventLoopGroup, threadPool: threadPool,
                postgresConfiguration: nil, databaseID: .sqlite, logger: logger)
            // WAL lets readers (status pages) proceed while a worker writes telemetry.
            try await engine.checked { try await $0.raw("PRAGMA journal_mode=WAL").run() }
            // In WAL mode, synchronous=NORMAL syncs at checkpoints instead of at every commit: a killed process
            // loses nothing committed (only a power cut could lose the last commits), and telemetry commits many
            // small batches. The setting is per connection; Fluent keeps one connection per event loop.
            for eventLoop in eventLoopGroup.makeIterator() {
                guard let database = databases.database(.sqlite, logger: logger, on: eventLoop) as? any SQLDatabase else { continue }
                try await engine.checked { _ in try await database.raw("PRAGMA synchronous=NORMAL").run() }
            }
        case .postgres(let url):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
                if let postgresSchema { configuration.searchPath = [postgresSchema] }
            } catch {
                throw StorageError.unreachable(engine: "postgres", message: "DATABASE_URL is not a usable PostgreSQL URL: \(error)")
            }
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 8, sqlLogLevel: .trace), as: .psql)
            engine = SQLEngine(
                dialect: .postgres, databases: databases, eventLoopGroup: eventLoopGroup, threadPool: threadPool,
                postgresConfiguration: configuration.coreConfiguration, databaseID: .psql, logger: logger)
            try await engine.checked { try await $0.raw("SELECT 1").run() }
        }
        return engine
    }

    /// A Fluent handle on the configured database.
    public var database: any Database {
        guard let database = databases.database(databaseID, logger: logger, on: eventLoopGroup.any()) else {
            preconditionFailure("SQLEngine.open registers \(databaseID) before any use")
        }
        return database
    }

    /// The same database through SQLKit, for hand-written statements.
    public var sql: any SQLDatabase {
        guard let sql = database as? any SQLDatabase else {
            preconditionFailure("both Fluent drivers in use are SQL databases")
        }
        return TimedSQLDatabase(base: sql)
    }

    /// A transaction that may write. On SQLite it begins IMMEDIATE, taking the write lock before its first read: a
    /// deferred one that reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another connection committed in
    /// between, which the busy handler cannot wait out (an upload's background checks and a page recording the same
    /// map's findings did). PostgreSQL's read-committed transactions have no such failure.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard dialect == .sqlite else { return try await database.transaction(body) }
        return try await database.withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { preconditionFailure("the SQLite driver is an SQL database") }
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Round-trips a trivial query; used by health checks.
    public func ping() async throws {
        try await sql.raw("SELECT 1").run()
    }

    private var migrator: Migrator {
        let migrations = Migrations()
        migrations.add(PlaytestMigrations.all())
        return Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any())
    }

    public func migrate() async throws {
        let migrator = self.migrator
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Names of migrations that have not run yet.
    public func pendingMigrations() async throws -> [String] {
        let migrator = self.migrator
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }

    private func checked(_ body: (any SQLDatabase) async throws -> Void) async throws {
        do {
            try await body(sql)
        } catch {
            await shutdown()
            throw StorageError.unreachable(engine: dialect.rawValue, message: DatabaseError.describe(error))
        }
    }
}

public enum StorageError: Error, CustomStringConvertible {
    case unreachable(engine: String, message: String)
    case missingRow(String)
    /// A stored row holds a value this binary cannot read.
    case corrupt(table: String, detail: String)

    public var description: String {
        switch self {
        case .corrupt(let table, let detail): "\(table): \(detail)"
        case .unreachable(let engine, let message): "\(engine) is unreachable: \(message)"
        case .missingRow(let what): "\(what) is missing right after it was written"
        }
    }
}
