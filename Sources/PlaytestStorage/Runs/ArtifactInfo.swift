import Foundation
import PlaytestCore

/// A stored screenshot or demo of a run (`artifacts`): the file lives in the blob store under `blobKey`.
public struct ArtifactInfo: Sendable, Hashable, Codable {
    /// `art_…`.
    public var id: String
    public var runID: String
    /// `screenshot` or `demo`.
    public var kind: String
    public var episode: Int
    public var tic: Int
    /// Why it was taken (e.g. `death`, `stuck`, `tic`, `episode`).
    public var reason: String
    public var blobKey: String
    public var bytes: Int64
    public var contentType: String
    public var createdAt: Date
    /// A demo of an episode that ended at the exit: the agent's replay check.
    public var replay: DemoReplayCheck?

    public init(id: String, runID: String, kind: String, episode: Int, tic: Int, reason: String, blobKey: String,
                bytes: Int64, contentType: String, createdAt: Date, replay: DemoReplayCheck? = nil) {
        self.id = id
        self.runID = runID
        self.kind = kind
        self.episode = episode
        self.tic = tic
        self.reason = reason
        self.blobKey = blobKey
        self.bytes = bytes
        self.contentType = contentType
        self.createdAt = createdAt
        self.replay = replay
    }
}
