import Foundation
import PlaytestCore
import SQLKit

/// Screenshots and demos: rows that point at files in the blob store.
extension TestTelemetryStore {
    private static let artifactColumns = "id, run_id, kind, episode, tic, reason, blob_key, bytes, content_type, created_at, replay"

    /// Records screenshots and demos in one statement; a second add of the same id or blob key changes nothing.
    public func addArtifacts(_ artifacts: [ArtifactInfo]) async throws {
        let insert = MultiRowInsert<ArtifactInfo>(table: "artifacts", columns: Self.artifactColumns.components(separatedBy: ", ")) { info, values in
            values.add(info.id); values.add(info.runID); values.add(info.kind); values.add(info.episode); values.add(info.tic)
            values.add(info.reason); values.add(info.blobKey); values.add(info.bytes); values.add(info.contentType); values.add(info.createdAt)
            values.add(try info.replay.map { try StoredJSON.encode($0) })
        }
        try await insert.run(artifacts, on: engine)
    }

    public func addArtifact(_ info: ArtifactInfo) async throws {
        try await addArtifacts([info])
    }

    /// A run's artifacts by episode, tic and id.
    public func artifacts(runID: String) async throws -> [ArtifactInfo] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.artifactColumns) FROM artifacts WHERE run_id = \(bind: runID) ORDER BY episode, tic, id
            """).all().map(Self.artifact(from:))
    }

    public func artifact(id: String) async throws -> ArtifactInfo? {
        try await sql.raw("SELECT \(unsafeRaw: Self.artifactColumns) FROM artifacts WHERE id = \(bind: id)").first().map(Self.artifact(from:))
    }

    private static func artifact(from row: any SQLRow) throws -> ArtifactInfo {
        ArtifactInfo(
            id: try row.decode(column: "id", as: String.self), runID: try row.decode(column: "run_id", as: String.self),
            kind: try row.decode(column: "kind", as: String.self), episode: try row.decode(column: "episode", as: Int.self),
            tic: try row.decode(column: "tic", as: Int.self), reason: try row.decode(column: "reason", as: String.self),
            blobKey: try row.decode(column: "blob_key", as: String.self), bytes: try row.decode(column: "bytes", as: Int64.self),
            contentType: try row.decode(column: "content_type", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            replay: try row.decode(column: "replay", as: String?.self).map { try StoredJSON.decode(DemoReplayCheck.self, from: $0, table: "artifacts") })
    }
}
