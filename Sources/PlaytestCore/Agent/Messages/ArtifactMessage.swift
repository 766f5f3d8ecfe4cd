/// What kind of file an `artifact` message reports.
public enum ArtifactKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A PNG of the screen.
    case screenshot
    /// A recorded demo (`.lmp`) of a whole episode.
    case demo
}

/// An `artifact` message: the agent wrote a file the worker should upload.
public struct ArtifactMessage: Sendable, Hashable, Codable {
    public var kind: ArtifactKind
    public var path: String
    /// Why it was taken: `tic`, `death`, `stuck` for screenshots, `episode` for demos.
    public var reason: String
    public var episode: Int
    public var tic: Int

    public init(kind: ArtifactKind, path: String, reason: String, episode: Int, tic: Int) {
        self.kind = kind
        self.path = path
        self.reason = reason
        self.episode = episode
        self.tic = tic
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        self.init(kind: try f.choice("kind", as: ArtifactKind.self), path: try f.string("path"),
                  reason: try f.string("reason"), episode: try f.int("episode"), tic: try f.int("tic"))
    }
}
