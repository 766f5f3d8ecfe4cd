import Foundation
import PlaytestStorage

extension RunLauncher {
    /// Stores a checkpoint file the user has (`playtest test --checkpoint PATH`) so a run can name it: once per
    /// content (its id comes from the file's sha256). Its action set is not known here; the agent checks it when it
    /// loads the file and fails the run with `checkpoint_invalid` if it cannot play the map. Returns its id.
    public func importCheckpoint(fileAt path: String) async throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw RunRequestError(.notFound, code: "checkpoint_not_found", "cannot read the checkpoint file \(path)")
        }
        let (sha, size) = try BuiltinMaps.fileDigest(path)
        let id = "ckpt_" + sha.prefix(16)
        let telemetry = TrainingTelemetryStore(sql: engines.sql)
        if try await telemetry.checkpoint(id: id) != nil { return id }
        let key = "checkpoints/imported/\(sha).pt"
        _ = try await engines.blobs.put(key, fileAt: path, contentType: "application/octet-stream")
        let info = CheckpointInfo(
            id: id, runID: nil, iteration: 0, epsilon: 0, final: true, blobKey: key, bytes: size,
            actionCombinations: nil, actionCount: nil, scenario: nil, createdAt: Date())
        try await telemetry.addCheckpoint(info)
        return id
    }
}
