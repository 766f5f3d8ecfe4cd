import Crypto
import Foundation
import SQLKit

/// What a backup records of its SQL snapshot, read from the snapshot itself, and what a restore checks again.
enum SnapshotFacts {
    /// Per run, a sha256 that changes when anything stored for it does not come back: its row's status and progress and
    /// the number of its rows in each table it owns.
    static func runFingerprints(_ sql: any SQLDatabase) async throws -> [String: String] {
        var parts: [String: [String]] = [:]
        for row in try await sql.raw("SELECT id, status, progress FROM runs").all() {
            let id = try row.decode(column: "id", as: String.self)
            parts[id] = [try row.decode(column: "status", as: String.self), String(try row.decode(column: "progress", as: Int.self))]
        }
        for table in RunTables.owned {
            var counts: [String: Int] = [:]
            for row in try await sql.raw("SELECT run_id, COUNT(*) AS n FROM \(ident: table) GROUP BY run_id").all() {
                counts[try row.decode(column: "run_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            for id in parts.keys { parts[id]?.append("\(table)=\(counts[id] ?? 0)") }
        }
        return parts.mapValues { fields in
            SHA256.hash(data: Data(fields.joined(separator: "|").utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The blobs that rows name: maps' files (with their sha256), artifacts' and checkpoints' (with their size).
    static func referencedBlobs(_ sql: any SQLDatabase) async throws -> (maps: [String: String], sized: [String: Int64]) {
        var maps: [String: String] = [:]
        for row in try await sql.raw("SELECT blob_key, sha256 FROM \(ident: BlobReferences.maps)").all() {
            maps[try row.decode(column: "blob_key", as: String.self)] = try row.decode(column: "sha256", as: String.self)
        }
        var sized: [String: Int64] = [:]
        for table in BlobReferences.sized {
            for row in try await sql.raw("SELECT blob_key, bytes FROM \(ident: table)").all() {
                sized[try row.decode(column: "blob_key", as: String.self)] = try row.decode(column: "bytes", as: Int64.self)
            }
        }
        return (maps, sized)
    }

    /// Rows of the tables a backup reports.
    static func rowCounts(_ sql: any SQLDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["maps", "runs", "users", "findings", "player_progress_events"] + RunTables.owned {
            counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return counts
    }
}
