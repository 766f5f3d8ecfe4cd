import Crypto
import Foundation
import NIOCore
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

/// A restore drill on both engines: a platform with maps, runs, steps, artifacts and checkpoints is backed up, restored
/// into a fresh database and blob store, and checked item by item.
@Suite("Backup and restore", .serialized)
struct BackupRestoreTests {
    /// A data folder and a database (SQLite in the folder, or a PostgreSQL database of its own).
    struct Site {
        let configuration: PlaytestConfiguration
        let folder: String
        let postgres: PrivateDatabase?

        static func make(_ kind: TestDatabase.Kind) async throws -> Site {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-site-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var sql: PlaytestConfiguration.SQL = .sqlite(path: folder + "/playtest.sqlite")
            var postgres: PrivateDatabase?
            if kind == .postgres {
                let database = try await PrivateDatabase.create()
                sql = .postgres(url: database.url)
                postgres = database
            }
            return Site(configuration: PlaytestConfiguration(dataDirectory: folder, sql: sql), folder: folder, postgres: postgres)
        }

        func open() async throws -> PlaytestEngines {
            try await PlaytestEngines.open(configuration, migrate: true, logger: TestDatabase.quietLogger())
        }

        func remove() async {
            await postgres?.drop()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    /// One map (its file in the blob store), a completed test run with steps and a screenshot, a training run with a
    /// checkpoint.
    static func populate(_ engines: PlaytestEngines) async throws {
        let wad = [UInt8]("PWAD fake map bytes".utf8) + (0..<4096).map { UInt8($0 % 251) }
        let sha = hex(wad)
        let mapID = UUID()
        _ = try await engines.blobs.put("maps/\(sha).wad", bytes: ByteBuffer(bytes: wad), contentType: "application/x-doom-wad")
        try await MapRecord(
            id: mapID, name: "Drill", filename: "drill.wad", blobKey: "maps/\(sha).wad", sizeBytes: Int64(wad.count), sha256: sha,
            wadKind: "PWAD", formats: ["doom"], summaries: [], builtin: false, scenario: nil
        ).create(on: engines.sql.database)
        let runs = RunStore(sql: engines.sql)
        for (id, kind) in [("test_drill", RunKind.testing), ("train_drill", RunKind.training)] {
            try await runs.insert(RunRecord(
                id: id, kind: kind, status: .pending, mapID: mapID, mapName: "MAP01", agent: kind == .testing ? "random" : "dqn",
                params: "{}", plan: #"{"map_name":"MAP01"}"#, target: 2))
        }
        let telemetry = TestTelemetryStore(sql: engines.sql)
        try await telemetry.insertSteps(runID: "test_drill", (1...500).map { step in
            StepRow(episode: 1, step: step, tic: step * 4, x: Double(step), y: 0, angle: 0, health: 100, armor: 0, ammo: 50,
                    weapon: 2, killcount: 0, action: step % 3, reward: 0.5)
        })
        let png = [UInt8](repeating: 7, count: 2048)
        _ = try await engines.blobs.put("runs/test_drill/shot.png", bytes: ByteBuffer(bytes: png), contentType: "image/png")
        try await telemetry.addArtifact(ArtifactInfo(
            id: "art_drill", runID: "test_drill", kind: "screenshot", episode: 1, tic: 40, reason: "tic",
            blobKey: "runs/test_drill/shot.png", bytes: Int64(png.count), contentType: "image/png", createdAt: Date()))
        #expect(try await runs.finish(id: "test_drill", status: .completed, from: [.pending], error: nil, stderrTail: nil, progress: 1, at: Date()))
    }

    @Test("a restore drill: every map, run, artifact and blob comes back and matches by checksum", arguments: TestDatabase.available)
    func drill(_ kind: TestDatabase.Kind) async throws {
        let source = try await Site.make(kind)
        let target = try await Site.make(kind)
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: backup) }
        do {
            let engines = try await source.open()
            try await Self.populate(engines)
            let written = try await Backup.write(sql: source.configuration.sql, engine: engines.sql, blobs: engines.blobs, to: backup)
            await engines.shutdown()
            #expect(written.manifest.runs.count == 2)
            #expect(written.manifest.rows["run_steps"] == 500)
            #expect(written.manifest.blobs.map(\.key).sorted().count == 2)
            #expect(written.manifest.missingBlobs.isEmpty)
            await #expect(throws: BackupError.self, "a backup never writes into a folder that has something in it") {
                let engines = try await source.open()
                defer { Task { await engines.shutdown() } }
                _ = try await Backup.write(sql: source.configuration.sql, engine: engines.sql, blobs: engines.blobs, to: backup)
            }

            let restored = try await Backup.restore(from: backup, into: target.configuration, logger: TestDatabase.quietLogger())
            let check = try #require(restored.verification)
            #expect(check.ok, "\(check.problems)")
            #expect(check.runs == 2 && check.maps == 1 && check.artifacts == 1 && check.blobs == 2)

            // The restored platform has the rows, and a damaged blob there is named by a check.
            let back = try await target.open()
            #expect(try await RunStore(sql: back.sql).status(id: "test_drill") == .completed)
            _ = try await back.blobs.put("runs/test_drill/shot.png", bytes: ByteBuffer(bytes: [1, 2, 3]), contentType: "image/png")
            let damaged = try await Backup.verify(written.manifest, sql: back.sql.sql, blobs: back.blobs)
            #expect(damaged.problems.contains { $0.contains("runs/test_drill/shot.png") })
            try await back.sql.sql.raw("DELETE FROM run_steps WHERE step > 400").run()
            let lostRows = try await Backup.verify(written.manifest, sql: back.sql.sql, blobs: back.blobs)
            #expect(lostRows.problems.contains("run test_drill differs (status, progress or its rows)"))
            await back.shutdown()

            // A second restore into the same, now full, database changes nothing.
            await #expect(throws: BackupError.notEmpty("the configured database already has a Playtest schema (version \(PlaytestMigrations.all().count)): restore into an empty database")) {
                _ = try await Backup.restore(from: backup, into: target.configuration, logger: TestDatabase.quietLogger())
            }
        } catch {
            await source.remove()
            await target.remove()
            throw error
        }
        await source.remove()
        await target.remove()
    }

    @Test("a damaged backup is refused before anything is restored")
    func damagedBackup() async throws {
        let source = try await Site.make(.sqlite)
        let target = try await Site.make(.sqlite)
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: backup) }
        let engines = try await source.open()
        try await Self.populate(engines)
        let written = try await Backup.write(sql: source.configuration.sql, engine: engines.sql, blobs: engines.blobs, to: backup)
        await engines.shutdown()
        let key = try #require(written.manifest.blobs.first?.key)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: backup + "/blobs/" + key))
        await #expect(throws: BackupError.self) {
            _ = try await Backup.restore(from: backup, into: target.configuration, logger: TestDatabase.quietLogger())
        }
        if case .sqlite(let path) = target.configuration.sql {
            #expect(!FileManager.default.fileExists(atPath: path), "no database was created")
        }
        await source.remove()
        await target.remove()
    }
}
