/// The `replay` of a demo `artifact` whose episode ended at the exit: the runtime replayed the demo in a second
/// engine and says whether the replay leaves the level by its exit on the recorded tic (docs/agent-protocol.md).
/// This is what makes a demo a proof that the map can be finished.
public struct DemoReplayCheck: Sendable, Hashable, Codable {
    /// The replay left the level by its exit (not by the demo running out or a death).
    public var reachedExit: Bool
    /// The recorded episode's exit tic.
    public var exitTic: Int
    /// False when the recording knows its exit tic only to within `frame_skip` tics.
    public var exitTicExact: Bool
    public var replayExitTic: Int?
    public var sameTic: Bool
    /// Why the replay differs from the recording; nil when it does not.
    public var drift: String?

    public init(reachedExit: Bool, exitTic: Int, exitTicExact: Bool = true, replayExitTic: Int?, sameTic: Bool, drift: String? = nil) {
        self.reachedExit = reachedExit
        self.exitTic = exitTic
        self.exitTicExact = exitTicExact
        self.replayExitTic = replayExitTic
        self.sameTic = sameTic
        self.drift = drift
    }

    /// The replay proves the exit: it left by the exit on the recorded tic.
    public var verified: Bool { reachedExit && sameTic }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case checked
        case reachedExit = "reached_exit"
        case exitTic = "exit_tic"
        case exitTicExact = "exit_tic_exact"
        case replayExitTic = "replay_exit_tic"
        case sameTic = "same_tic"
        case drift
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(reachedExit: try c.decode(Bool.self, forKey: .reachedExit), exitTic: try c.decode(Int.self, forKey: .exitTic),
                  exitTicExact: try c.decode(Bool.self, forKey: .exitTicExact),
                  replayExitTic: try c.decodeIfPresent(Int.self, forKey: .replayExitTic),
                  sameTic: try c.decode(Bool.self, forKey: .sameTic), drift: try c.decodeIfPresent(String.self, forKey: .drift))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(true, forKey: .checked)
        try c.encode(reachedExit, forKey: .reachedExit)
        try c.encode(exitTic, forKey: .exitTic)
        try c.encode(exitTicExact, forKey: .exitTicExact)
        try c.encode(replayExitTic, forKey: .replayExitTic)
        try c.encode(sameTic, forKey: .sameTic)
        try c.encode(drift, forKey: .drift)
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Set(CodingKeys.allCases.map(\.rawValue)))
        guard try f.bool("checked") else {
            throw .outOfRange(type: f.type, field: "checked", value: "false", expected: "true")
        }
        self.init(reachedExit: try f.bool("reached_exit"), exitTic: try f.int("exit_tic"), exitTicExact: try f.bool("exit_tic_exact"),
                  replayExitTic: try f.optionalInt("replay_exit_tic"), sameTic: try f.bool("same_tic"),
                  drift: try f.optionalString("drift", allowEmpty: true))
    }
}
