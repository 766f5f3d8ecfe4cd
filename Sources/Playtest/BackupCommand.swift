import ArgumentParser
import Foundation
import PlaytestStorage

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent backup of the database and every blob into a folder.",
        discussion: "While the platform runs: an SQL snapshot (pg_dump in one exported snapshot, or SQLite's VACUUM INTO), a copy of every blob, and manifest.json with each blob's sha256 and a fingerprint per run. `playtest restore FOLDER` brings it back."
    )

    @Argument(help: "A new or empty folder; with --dated, the folder that holds the dated backups.")
    var folder: String

    @Flag(help: "Write into a new folder named by today's UTC date under FOLDER (2026-12-04; a second one that day 2026-12-04T1530Z), for a daily schedule.")
    var dated = false

    @Option(help: "With --dated: after the backup, remove the dated backups under FOLDER older than this many days (the newest is always kept).")
    var keepDays: Int?

    func validate() throws {
        if keepDays != nil && !dated { throw ValidationError("--keep-days goes with --dated: it removes old dated backups under FOLDER") }
        if let keepDays, keepDays < 1 { throw ValidationError("--keep-days must be at least 1") }
    }

    func run() async throws {
        let now = Date()
        if dated { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let folder = dated ? BackupRotation.folder(in: self.folder, at: now) : self.folder
        try await Bootstrap.withServices(failure: "backup failed: ") { services, _ in
            let engines = services.engines
            let report = try await Backup.write(sql: engines.configuration.sql, engine: engines.sql, blobs: engines.blobs, to: folder)
            let manifest = report.manifest
            print("Backed up \(manifest.rows["maps"] ?? 0) maps, \(manifest.runs.count) runs and \(manifest.blobs.count) blobs (\(Self.megabytes(report.bytes)) MB) into \(folder) in \(String(format: "%.1f", report.seconds)) s.")
            if !manifest.missingBlobs.isEmpty {
                print("Deleted while the backup ran, so not in it: \(manifest.missingBlobs.joined(separator: ", "))")
            }
        }
        if let keepDays {
            let removed = try BackupRotation.prune(self.folder, keepDays: keepDays, now: now)
            if !removed.isEmpty { print("Removed \(removed.count) backup(s) older than \(keepDays) days: \(removed.joined(separator: ", "))") }
        }
    }

    static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup folder into the configured, empty database and blob store, and check it.",
        discussion: "The database must be empty (a new PostgreSQL database, or no SQLite file yet) and of the backup's kind; the schema is then migrated to this playtest's. Every run, map, artifact and blob is checked against the manifest; the exit status is 1 when anything differs."
    )

    @Argument(help: "A folder `playtest backup` wrote.")
    var folder: String

    func run() async throws {
        let env = Bootstrap.environment()
        let logger = Bootstrap.logging(env)
        let configuration = try Bootstrap.configuration(env)
        let report: Backup.Report
        do {
            report = try await Backup.restore(from: folder, into: configuration, logger: logger)
        } catch {
            throw StartupError(message: "restore failed: \(DatabaseError.describe(error))")
        }
        guard let check = report.verification else { return }
        print("Restored \(folder) (made \(report.manifest.createdAt), playtest \(report.manifest.playtestVersion)) in \(String(format: "%.1f", report.seconds)) s.")
        print("Checked \(check.runs) runs, \(check.maps) maps, \(check.artifacts) artifacts and checkpoints, \(check.blobs) blobs: \(check.ok ? "all match" : "\(check.problems.count) problems")")
        for problem in check.problems.prefix(50) { print("  \(problem)") }
        if !check.ok { throw ExitCode(1) }
    }
}
