import Foundation
import PlaytestCore

/// `manifest.json` of a backup folder: what the SQL snapshot is, every blob copied (key, size, sha256), and a
/// fingerprint per run, so that a restore can be checked item by item.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    public struct Blob: Codable, Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var sha256: String
        public var contentType: String?

        enum CodingKeys: String, CodingKey {
            case key, size, sha256
            case contentType = "content_type"
        }
    }

    public var format: Int
    public var createdAt: Date
    public var playtestVersion: String
    /// `sqlite` or `postgres`: a backup is restored into the same kind of database.
    public var engine: String
    /// Migrations the backed-up schema had run.
    public var schemaVersion: Int
    /// The SQL snapshot's file name in the folder, and its sha256.
    public var sqlFile: String
    public var sqlSHA256: String
    /// Rows per table at the snapshot.
    public var rows: [String: Int]
    public var blobs: [Blob]
    /// Blobs the snapshot's rows name that were gone by the time they were copied (deleted in between).
    public var missingBlobs: [String]
    /// Run id → ``RunFingerprints`` value.
    public var runs: [String: String]

    enum CodingKeys: String, CodingKey {
        case format, engine, rows, blobs, runs
        case createdAt = "created_at"
        case playtestVersion = "playtest_version"
        case schemaVersion = "schema_version"
        case sqlFile = "sql_file"
        case sqlSHA256 = "sql_sha256"
        case missingBlobs = "missing_blobs"
    }

    public var totalBlobBytes: Int64 { blobs.reduce(0) { $0 + $1.size } }

    static func read(from folder: String) throws -> BackupManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError.invalid("\(path) does not exist: not a Playtest backup folder")
        }
        let manifest: BackupManifest
        do {
            manifest = try PlaytestJSON.decoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError.invalid("\(path) is not a Playtest backup manifest: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw BackupError.invalid("\(path) has format \(manifest.format); this playtest reads format \(currentFormat)")
        }
        return manifest
    }

    func write(to folder: String) throws {
        let encoder = PlaytestJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: folder + "/" + Self.fileName), options: .atomic)
    }
}

/// Why a backup or a restore cannot be made; nothing has been changed when it is thrown before the restore begins.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    case invalid(String)
    case notEmpty(String)
    case tool(String)

    public var description: String {
        switch self {
        case .invalid(let message), .notEmpty(let message), .tool(let message): message
        }
    }
}
