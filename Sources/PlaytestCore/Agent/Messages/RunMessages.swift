/// A `hello` message: the first line of every run, saying who is speaking.
public struct HelloMessage: Sendable, Hashable, Codable {
    /// The protocol version the runtime speaks (the same as `"v"`).
    public var `protocol`: Int
    public var runtime: String
    public var version: String
    /// `evaluate` or `train`.
    public var command: String
    /// The agent's name; null when the config could not be read.
    public var agent: String?
    public var vizdoom: String
    public var torch: String
    public var python: String
    public var pid: Int
    public var capabilities: [String]

    public init(protocol: Int = AgentProtocol.version, runtime: String = "playtest_agent", version: String, command: String,
                agent: String?, vizdoom: String, torch: String, python: String, pid: Int, capabilities: [String]) {
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

    init(fields f: MessageFields) throws(AgentProtocolError) {
        self.init(protocol: try f.int("protocol", min: 1), runtime: try f.string("runtime"), version: try f.string("version"),
                  command: try f.string("command"), agent: try f.optionalString("agent"), vizdoom: try f.string("vizdoom"),
                  torch: try f.string("torch"), python: try f.string("python"), pid: try f.int("pid", min: 1),
                  capabilities: try f.stringArray("capabilities"))
    }
}

/// An `error` message: the agent hit a problem; `fatal` means it is about to exit.
public struct AgentErrorMessage: Sendable, Hashable, Codable {
    /// A machine-readable code, e.g. `config_invalid`, `map_not_found`, `engine_timeout`.
    public var code: String
    /// What went wrong, for the user.
    public var message: String
    public var fatal: Bool

    public init(code: String, message: String, fatal: Bool) {
        self.code = code
        self.message = message
        self.fatal = fatal
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        self.init(code: try f.string("code"), message: try f.string("message", allowEmpty: true), fatal: try f.bool("fatal"))
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

    enum CodingKeys: String, CodingKey {
        case reason, episodes, iterations
        case elapsedSeconds = "elapsed_s"
    }

    init(fields f: MessageFields) throws(AgentProtocolError) {
        self.init(reason: try f.choice("reason", as: DoneReason.self), episodes: try f.optionalInt("episodes"),
                  iterations: try f.optionalInt("iterations"), elapsedSeconds: try f.optionalDouble("elapsed_s", min: 0))
    }
}
