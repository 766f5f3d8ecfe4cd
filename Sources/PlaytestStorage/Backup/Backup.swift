import FluentKit
import Foundation
import Logging
import PlaytestCore
import SQLKit

/// `playtest backup` and `playtest restore`: a folder with a consistent SQL snapshot, a copy of every blob and a
/// manifest (``BackupManifest``); restored into an empty database and blob store, then checked map by map, run by run
/// and blob by blob.
public enum Backup {
    /// What a backup or a restore did.
    public struct Report: Sendable {
        public var manifest: BackupManifest
        public var verification: BackupVerification?
        public var seconds: Double
        /// Bytes of the backup folder (SQL snapshot, blobs, manifest).
        public var bytes: Int64
    }

    /// Writes a backup of the running platform into `folder` (new, or empty). The SQL snapshot comes first and the facts
    /// the manifest keeps are read from it; blobs are copied after, so every blob its rows name is there unless it was
    /// deleted in between (then it is listed as missing).
    public static func write(sql configuration: PlaytestConfiguration.SQL, engine: SQLEngine, blobs: any BlobStore, to folder: String) async throws -> Report {
        let started = ContinuousClock.now
        try prepareEmptyFolder(folder)
        let sqlFile = SQLSnapshot.fileName(for: configuration)
        let sqlPath = folder + "/" + sqlFile
        let facts = try await snapshot(configuration, engine: engine, to: sqlPath)
        let copied = try await BlobSnapshot.copyOut(blobs, to: folder)
        let copiedKeys = Set(copied.map(\.key))
        let named = Set(facts.referenced.maps.keys).union(facts.referenced.sized.keys)
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, createdAt: Date(), playtestVersion: PlaytestVersion.current,
            engine: engine.dialect.rawValue, schemaVersion: try await engine.schemaVersion().found, sqlFile: sqlFile,
            sqlSHA256: try BlobSnapshot.sha256(ofFileAt: sqlPath), rows: facts.rows, blobs: copied,
            missingBlobs: named.subtracting(copiedKeys).sorted(), runs: facts.runs)
        try manifest.write(to: folder)
        return Report(manifest: manifest, verification: nil, seconds: seconds(since: started), bytes: folderBytes(folder))
    }

    /// Restores `folder` into the configured engines, which must be empty (an SQLite file that does not exist yet or has
    /// no schema; a PostgreSQL database without tables), migrates it to this binary's schema, and checks it. Nothing is
    /// changed when the backup is damaged or the database is not empty.
    public static func restore(from folder: String, into configuration: PlaytestConfiguration, logger: Logger) async throws -> Report {
        let started = ContinuousClock.now
        let manifest = try BackupManifest.read(from: folder)
        let sqlPath = folder + "/" + manifest.sqlFile
        guard manifest.engine == kind(configuration.sql) else {
            throw BackupError.invalid("the backup is of a \(manifest.engine) database; the configured one is \(kind(configuration.sql)) (restore into the same kind)")
        }
        guard FileManager.default.fileExists(atPath: sqlPath), try BlobSnapshot.sha256(ofFileAt: sqlPath) == manifest.sqlSHA256 else {
            throw BackupError.invalid("the backup's SQL snapshot \(sqlPath) is missing or damaged (its sha256 is not the manifest's)")
        }
        try BlobSnapshot.check(manifest.blobs, in: folder)
        try await requireEmpty(configuration.sql, logger: logger)
        try await SQLSnapshot.restore(configuration.sql, from: sqlPath)
        let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
        do {
            try await BlobSnapshot.copyIn(manifest.blobs, from: folder, into: engines.blobs)
            let verification = try await verify(manifest, sql: engines.sql.sql, blobs: engines.blobs)
            await engines.shutdown()
            return Report(manifest: manifest, verification: verification, seconds: seconds(since: started), bytes: folderBytes(folder))
        } catch {
            await engines.shutdown()
            throw error
        }
    }

    /// Checks engines against a backup's manifest: every run's fingerprint, every map's file by its sha256, every
    /// artifact's and checkpoint's blob by size, and every blob read back by sha256.
    public static func verify(_ manifest: BackupManifest, sql: any SQLDatabase, blobs: any BlobStore) async throws -> BackupVerification {
        var result = BackupVerification()
        let runs = try await SnapshotFacts.runFingerprints(sql)
        for (id, fingerprint) in manifest.runs.sorted(by: { $0.key < $1.key }) {
            if runs[id] == nil {
                result.problems.append("run \(id) is missing")
            } else if runs[id] != fingerprint {
                result.problems.append("run \(id) differs (status, progress or its rows)")
            }
            result.runs += 1
        }
        var stored: [String: String] = [:]
        for blob in manifest.blobs {
            let hash = try await BlobSnapshot.sha256(of: blob.key, in: blobs)
            stored[blob.key] = hash
            if hash == nil {
                result.problems.append("blob \(blob.key) is missing")
            } else if hash != blob.sha256 {
                result.problems.append("blob \(blob.key) differs (sha256 \(hash ?? ""), expected \(blob.sha256))")
            }
            result.blobs += 1
        }
        let sizes = Dictionary(manifest.blobs.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
        let referenced = try await SnapshotFacts.referencedBlobs(sql)
        for (key, sha256) in referenced.maps.sorted(by: { $0.key < $1.key }) where !manifest.missingBlobs.contains(key) {
            if stored[key] != sha256 { result.problems.append("map file \(key) does not have the map's sha256 \(sha256)") }
            result.maps += 1
        }
        for (key, bytes) in referenced.sized.sorted(by: { $0.key < $1.key }) where !manifest.missingBlobs.contains(key) {
            if sizes[key] != bytes || stored[key] == nil { result.problems.append("artifact or checkpoint \(key) is missing or not \(bytes) bytes") }
            result.artifacts += 1
        }
        return result
    }

    // MARK: steps

    private static func snapshot(_ configuration: PlaytestConfiguration.SQL, engine: SQLEngine, to path: String) async throws
        -> (rows: [String: Int], runs: [String: String], referenced: (maps: [String: String], sized: [String: Int64]))
    {
        switch configuration {
        case .sqlite:
            try await SQLSnapshot.dump(configuration, engine: engine, to: path)
            // The facts come from the copy, which nothing writes to.
            let copy = try await SQLEngine.open(.sqlite(path: path), logger: Logger(label: "backup"))
            do {
                let facts = (try await SnapshotFacts.rowCounts(copy.sql), try await SnapshotFacts.runFingerprints(copy.sql),
                             try await SnapshotFacts.referencedBlobs(copy.sql))
                await copy.shutdown()
                return facts
            } catch {
                await copy.shutdown()
                throw error
            }
        case .postgres:
            // pg_dump runs in a snapshot this transaction exports, so the facts read here are the dump's.
            return try await engine.transaction { database in
                guard let sql = database as? any SQLDatabase else { throw BackupError.invalid("the database is not an SQL database") }
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()?.decode(column: "id", as: String.self) ?? ""
                try await SQLSnapshot.dump(configuration, engine: engine, to: path, snapshot: snapshot)
                return (try await SnapshotFacts.rowCounts(sql), try await SnapshotFacts.runFingerprints(sql), try await SnapshotFacts.referencedBlobs(sql))
            }
        }
    }

    private static func requireEmpty(_ configuration: PlaytestConfiguration.SQL, logger: Logger) async throws {
        if case .sqlite(let path) = configuration, !FileManager.default.fileExists(atPath: path) { return }
        let engine = try await SQLEngine.open(configuration, logger: logger)
        let version = try await engine.schemaVersion()
        await engine.shutdown()
        guard version.found == 0, version.unknown.isEmpty else {
            throw BackupError.notEmpty("the configured database already has a Playtest schema (version \(version.found + version.unknown.count)): restore into an empty database")
        }
        if case .sqlite(let path) = configuration {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    private static func prepareEmptyFolder(_ folder: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder) {
            guard (try manager.contentsOfDirectory(atPath: folder)).isEmpty else {
                throw BackupError.notEmpty("\(folder) is not empty: a backup goes into a new or empty folder")
            }
        }
        try manager.createDirectory(atPath: folder + "/" + BlobSnapshot.folderName, withIntermediateDirectories: true)
    }

    private static func kind(_ sql: PlaytestConfiguration.SQL) -> String {
        switch sql {
        case .sqlite: SQLEngine.Dialect.sqlite.rawValue
        case .postgres: SQLEngine.Dialect.postgres.rawValue
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func folderBytes(_ folder: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var total: Int64 = 0
        while let name = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            if (attributes?[.type] as? FileAttributeType) == .typeRegular { total += (attributes?[.size] as? Int64) ?? 0 }
        }
        return total
    }
}

/// What a restore's check found.
public struct BackupVerification: Sendable, Equatable {
    public var maps = 0
    public var runs = 0
    public var artifacts = 0
    public var blobs = 0
    public var problems: [String] = []
    public var ok: Bool { problems.isEmpty }
}
