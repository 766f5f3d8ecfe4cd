/// The runtime's subcommand.
public enum AgentCommand: String, Sendable, Hashable, Codable, CaseIterable {
    case evaluate
    case train
}

/// The agents the runtime ships.
public enum AgentName: String, Sendable, Hashable, Codable, CaseIterable {
    case random
    case explorer
    case navigator
    case dqn
}

/// A `hello` message: the first line of every run, saying who is speaking.
public struct HelloMessage: Sendable, Hashable, Codable {
    /// The protocol version the runtime speaks (always the same as `"v"`).
    public var `protocol`: Int
    /// Always `playtest_agent`.
    public var runtime: String
    public var version: String
    public var command: AgentCommand
    /// Null when the config could not be read.
    public var agent: AgentName?
    public var vizdoom: String
    public var torch: String
    public var python: String
    public var pid: Int
    public var capabilities: [String]

    public init(protocol: Int = AgentProtocol.version, runtime: String = HelloMessage.runtimeName, version: String,
                command: AgentCommand, agent: AgentName?, vizdoom: String, torch: String, python: String, pid: Int,
                capabilities: [String]) {
        self.protocol = `protocol`
        self.runtime = runtime
        self.version = version
        self.command = command
        self.agent = agent
        self.vizdoom = vizdoom
        self.torch = torch
        self.python = python
        self.pid = pid
        self.capabilities = capabilities
    }

    public static let runtimeName = "playtest_agent"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case `protocol`, runtime, version, command, agent, vizdoom, torch, python, pid, capabilities
    }

    /// `agent` is written as null when absent, as the protocol requires it present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(`protocol`, forKey: .protocol)
        try c.encode(runtime, forKey: .runtime)
        try c.encode(version, forKey: .version)
        try c.encode(command, forKey: .command)
        try c.encode(agent, forKey: .agent)
        try c.encode(vizdoom, forKey: .vizdoom)
        try c.encode(torch, forKey: .torch)
        try c.encode(python, forKey: .python)
        try c.encode(pid, forKey: .pid)
        try c.encode(capabilities, forKey: .capabilities)
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        let version = try f.int("protocol", min: nil)
        guard version == AgentProtocol.version else {
            throw .outOfRange(type: f.type, field: "protocol", value: String(version), expected: String(AgentProtocol.version))
        }
        self.init(protocol: version, runtime: try f.constant("runtime", Self.runtimeName), version: try f.string("version"),
                  command: try f.choice("command", as: AgentCommand.self), agent: try f.optionalChoice("agent", as: AgentName.self),
                  vizdoom: try f.string("vizdoom"), torch: try f.string("torch"), python: try f.string("python"),
                  pid: try f.int("pid", min: nil), capabilities: try f.stringArray("capabilities"))
    }
}

/// The codes an `error` message can carry.
public enum AgentErrorCode: String, Sendable, Hashable, Codable, CaseIterable {
    case configInvalid = "config_invalid"
    case wadNotFound = "wad_not_found"
    case wadInvalid = "wad_invalid"
    case mapNotFound = "map_not_found"
    case scenarioNotFound = "scenario_not_found"
    case checkpointInvalid = "checkpoint_invalid"
    case invalidInput = "invalid_input"
    case engineTimeout = "engine_timeout"
    case engineFailed = "engine_failed"
    case `internal`
}

/// An `error` message: the agent hit a problem; a fatal one is followed by `done`.
public struct AgentErrorMessage: Sendable, Hashable, Codable {
    public var code: AgentErrorCode
    /// What went wrong, for the user (never empty).
    public var message: String
    public var fatal: Bool

    public init(code: AgentErrorCode, message: String, fatal: Bool) {
        self.code = code
        self.message = message
        self.fatal = fatal
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, message, fatal
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(code: try f.choice("code", as: AgentErrorCode.self), message: try f.string("message"), fatal: try f.bool("fatal"))
    }
}

/// How a run ended, as the agent saw it.
public enum DoneReason: String, Sendable, Hashable, Codable, CaseIterable {
    case completed
    /// Stopped by SIGTERM; what finished before is valid.
    case stopped
    /// An `error` message came before.
    case error
}

/// A `done` message: the last line of every run.
public struct DoneMessage: Sendable, Hashable, Codable {
    public var reason: DoneReason
    /// Episodes finished; null when the run failed before any could be counted.
    public var episodes: Int?
    /// Training iterations done; null for evaluation runs.
    public var iterations: Int?
    public var elapsedSeconds: Double?

    public init(reason: DoneReason, episodes: Int? = nil, iterations: Int? = nil, elapsedSeconds: Double? = nil) {
        self.reason = reason
        self.episodes = episodes
        self.iterations = iterations
        self.elapsedSeconds = elapsedSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason, episodes, iterations
        case elapsedSeconds = "elapsed_s"
    }

    /// Nullable fields are written as null, as the protocol requires them present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason, forKey: .reason)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
    }

    static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    init(fields f: MessageFields) throws(AgentProtocolError) {
        try f.rejectUnknownFields(Self.fieldNames)
        self.init(reason: try f.choice("reason", as: DoneReason.self), episodes: try f.optionalInt("episodes"),
                  iterations: try f.optionalInt("iterations"), elapsedSeconds: try f.optionalDouble("elapsed_s", min: 0))
    }
}
