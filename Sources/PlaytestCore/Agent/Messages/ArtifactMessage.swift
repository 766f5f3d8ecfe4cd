/// What kind of file an `artifact` message reports.
public enum ArtifactKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A PNG of the screen.
    case screenshot
    /// A recorded demo (`.lmp`) of a whole episode.
    case demo
}

/// Why the agent wrote an artifact.
public enum ArtifactReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// A screenshot at a tic the run asked for.
    case tic
    /// A screenshot of the moment the player died.
    case death
    /// A screenshot after the player stood still for `stuck_tics`.
    case stuck
    /// A screenshot of the step at which an engine counter behind a milestone changed (a kill, a secret, a key,
    /// the exit); the run links it to the milestone.
    case milestone
    /// The demo of a finished episode.
    case episode
}

/// An `artifact` message: the agent wrote a file the worker should upload.
public struct ArtifactMessage: Sendable, Hashable, Codable {
    public var kind: ArtifactKind
    public var path: String
    public var reason: ArtifactReason
    public var episode: Int
    public var tic: Int
    /// A demo of an episode that ended at the exit: the replay check's result; nil otherwise.
    public var replay: DemoReplayCheck?

    public init(kind: ArtifactKind, path: String, reason: ArtifactReason, episode: Int, tic: Int, replay: DemoReplayCheck? = nil) {
        self.kind = kind
        self.path = path
        self.reason = reason
        self.episode = episode
        self.tic = tic
        self.replay = replay
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, reason, episode, tic, replay
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(kind: try f.choice("kind", as: ArtifactKind.self), path: try f.string("path"),
                  reason: try f.choice("reason", as: ArtifactReason.self), episode: try f.int("episode"), tic: try f.int("tic"),
                  replay: try f.optionalObject("replay").map { fields throws(AgentProtocolError) in try DemoReplayCheck(fields: fields) })
    }
}
