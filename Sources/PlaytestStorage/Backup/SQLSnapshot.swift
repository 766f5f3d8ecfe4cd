import Foundation
import SQLKit

/// The SQL part of a backup: a consistent snapshot made while the platform runs (`pg_dump`'s single transaction;
/// SQLite's `VACUUM INTO`), and its restore into an empty database (`pg_restore`; the file copied into place).
enum SQLSnapshot {
    static func fileName(for sql: PlaytestConfiguration.SQL) -> String {
        switch sql {
        case .sqlite: "playtest.sqlite"
        case .postgres: "playtest.pgdump"
        }
    }

    /// `snapshot`: a PostgreSQL snapshot exported by an open transaction, for the dump to see what it sees.
    static func dump(_ configuration: PlaytestConfiguration.SQL, engine: SQLEngine, to path: String, snapshot: String? = nil) async throws {
        switch configuration {
        case .sqlite:
            try await engine.sql.raw("VACUUM INTO \(bind: path)").run()
        case .postgres(let url):
            var arguments = ["--format=custom", "--no-owner", "--no-privileges", "--file=\(path)", "--dbname=\(url)"]
            if let snapshot { arguments.append("--snapshot=\(snapshot)") }
            try await run(tool: "pg_dump", arguments)
        }
    }

    /// Into an empty database: an SQLite file that does not exist yet, or a PostgreSQL database with no tables.
    static func restore(_ configuration: PlaytestConfiguration.SQL, from path: String) async throws {
        switch configuration {
        case .sqlite(let target):
            let folder = (target as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try FileManager.default.copyItem(atPath: path, toPath: target)
        case .postgres(let url):
            try await run(tool: "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=\(url)", path])
        }
    }

    /// `PLAYTEST_PG_TOOLS` (a folder), else the newest of Debian's `/usr/lib/postgresql/*/bin`, else the PATH: the
    /// client must be at least as new as the server.
    static func toolPath(_ tool: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["PLAYTEST_PG_TOOLS"], !folder.isEmpty { return folder + "/" + tool }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let path = "/usr/lib/postgresql/\(version)/bin/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    private static func run(tool: String, _ arguments: [String]) async throws {
        guard let path = toolPath(tool) else {
            throw BackupError.tool("\(tool) is not installed (apt-get install postgresql-client, or set PLAYTEST_PG_TOOLS to its folder)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read while it runs: a full pipe would block it.
        let message = await Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: #"postgres(ql)?://[^ ]*"#, with: "DATABASE_URL", options: .regularExpression)
            throw BackupError.tool("\(tool) failed (exit \(process.terminationStatus)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
