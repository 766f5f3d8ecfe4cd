/// A line the navigator pressed (USE) that answered nothing: no sector it should move moved within its 5 s of
/// pressing (`unanswered_presses` of `episode_end`, docs/agent-protocol.md). The platform judges whether the press
/// reached the line from its front with the keys it needs (``PlayFindings/unopenedLines``).
public struct UnansweredPress: Sendable, Hashable, Codable {
    public var line: Int
    /// The tic of the first press.
    public var tic: Int
    /// Where the player stood and faced at the last press.
    public var x: Double
    public var y: Double
    public var angle: Double
    /// The keys held then (`blue_card`, …).
    public var keys: [String]

    public init(line: Int, tic: Int, x: Double, y: Double, angle: Double, keys: [String] = []) {
        self.line = line
        self.tic = tic
        self.x = x
        self.y = y
        self.angle = angle
        self.keys = keys
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case line, tic, x, y, angle, keys
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Set(CodingKeys.allCases.map(\.rawValue)))
        self.init(line: try f.int("line"), tic: try f.int("tic"), x: try f.double("x"), y: try f.double("y"),
                  angle: try f.double("angle"), keys: try f.stringArray("keys"))
    }
}
