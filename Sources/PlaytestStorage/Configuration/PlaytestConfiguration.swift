import Foundation

/// Everything the platform reads from its environment, validated once at start-up.
///
/// An absent engine variable selects the embedded default (SQLite, a data folder, in-process live
/// state). A malformed one is a `ConfigurationError` naming the variable; there is no silent fallback.
public struct PlaytestConfiguration: Sendable, Equatable {
    public enum SQL: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public enum Live: Sendable, Equatable {
        case memory
        case redis(url: String)
    }

    public enum Blobs: Sendable, Equatable {
        case folder(path: String)
        case s3(S3Settings)
    }

    public struct S3Settings: Sendable, Equatable {
        public var endpoint: String
        public var bucket: String
        public var region: String
        public var accessKey: String
        public var secretKey: String
    }

    public var dataDirectory: String
    public var host: String
    public var port: Int
    public var sql: SQL
    public var live: Live
    public var blobs: Blobs
    /// Largest accepted upload, in bytes (`PLAYTEST_MAX_UPLOAD_MB`, default 100).
    public var maxUploadBytes: Int
    /// The agent runtime's Python interpreter (`PLAYTEST_PYTHON`, default `.venv/bin/python`).
    public var pythonPath: String
    /// The folder holding the agent runtime's package `playtest_agent` and its shipped checkpoints
    /// (`PLAYTEST_AGENT_DIR`, default `agent`); it goes on the agent's PYTHONPATH.
    public var agentDirectory: String
    /// Accounts, tokens and rate limits.
    public var access: AccessSettings
    /// Namespace of every Redis key and channel (`PLAYTEST_REDIS_PREFIX`, default `playtest:`).
    public var livePrefix: String
    /// How long an agent's live session keys outlive their last write (`PLAYTEST_AGENT_SESSION_TTL` seconds,
    /// default a day: docs/live-state.md).
    public var agentSessionTTL: Duration
    /// What is kept how long.
    public var retention: RetentionSettings
    /// The optional LLM that writes runs' summaries in prose; nil: off.
    public var llm: LLMSettings?

    public init(
        dataDirectory: String = "./data", host: String = "127.0.0.1", port: Int = 8080,
        sql: SQL? = nil, live: Live = .memory, blobs: Blobs? = nil,
        maxUploadBytes: Int = 100 * 1024 * 1024, pythonPath: String = ".venv/bin/python",
        agentDirectory: String = "agent", access: AccessSettings = AccessSettings(),
        livePrefix: String = "playtest:", agentSessionTTL: Duration = .seconds(86_400), retention: RetentionSettings = RetentionSettings(),
        llm: LLMSettings? = nil
    ) {
        self.retention = retention
        self.llm = llm
        self.access = access
        self.livePrefix = livePrefix
        self.agentSessionTTL = agentSessionTTL
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.sql = sql ?? .sqlite(path: dataDirectory + "/playtest.sqlite")
        self.live = live
        self.blobs = blobs ?? .folder(path: dataDirectory + "/blobs")
        self.maxUploadBytes = maxUploadBytes
        self.pythonPath = pythonPath
        self.agentDirectory = agentDirectory
    }

    /// True when every engine is the embedded default (migrations then run automatically at start).
    public var isEmbedded: Bool {
        if case .sqlite = sql { return true }
        return false
    }

    public static func load(from env: [String: String]) throws(ConfigurationError) -> PlaytestConfiguration {
        let dataDirectory = try nonEmpty(env, "PLAYTEST_DATA_DIR") ?? "./data"
        let host = try nonEmpty(env, "HOST") ?? "127.0.0.1"
        let port = try integer(env, "PORT", range: 1...65535) ?? 8080
        let maxUploadMB = try integer(env, "PLAYTEST_MAX_UPLOAD_MB", range: 1...10_000) ?? 100
        let python = try nonEmpty(env, "PLAYTEST_PYTHON") ?? ".venv/bin/python"
        let agentDirectory = try nonEmpty(env, "PLAYTEST_AGENT_DIR") ?? "agent"

        var sql: SQL?
        if let url = try nonEmpty(env, "DATABASE_URL") {
            try URLCheck.require(url, variable: "DATABASE_URL", schemes: ["postgres", "postgresql"], needsHost: true)
            sql = .postgres(url: url)
        }

        let livePrefix = env["PLAYTEST_REDIS_PREFIX"] ?? "playtest:"
        guard livePrefix.allSatisfy({ !$0.isWhitespace }) else {
            throw ConfigurationError(variable: "PLAYTEST_REDIS_PREFIX", problem: "must not contain spaces, got \(livePrefix.debugDescription)")
        }
        let sessionTTL = try integer(env, "PLAYTEST_AGENT_SESSION_TTL", range: 1...(90 * 86_400)) ?? 86_400

        var live = Live.memory
        if let url = try nonEmpty(env, "REDIS_URL") {
            try URLCheck.require(url, variable: "REDIS_URL", schemes: ["redis"], needsHost: true)
            live = .redis(url: url)
        }

        var blobs: Blobs?
        let s3Names = ["S3_ENDPOINT", "S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY"]
        var s3Given: [String] = []
        for name in s3Names where try nonEmpty(env, name) != nil { s3Given.append(name) }
        if !s3Given.isEmpty {
            let missing = s3Names.filter { !s3Given.contains($0) && $0 != "S3_REGION" }
            guard missing.isEmpty else {
                throw ConfigurationError(variable: missing[0], problem: "is required when \(s3Given.joined(separator: ", ")) is set (S3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY and S3_SECRET_KEY)")
            }
            let endpoint = env["S3_ENDPOINT"] ?? ""
            try URLCheck.require(endpoint, variable: "S3_ENDPOINT", schemes: ["http", "https"], needsHost: true)
            let bucket = env["S3_BUCKET"] ?? ""
            guard bucket.range(of: #"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"#, options: .regularExpression) != nil else {
                throw ConfigurationError(variable: "S3_BUCKET", problem: "\(bucket.debugDescription) is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)")
            }
            blobs = .s3(S3Settings(
                endpoint: endpoint, bucket: bucket, region: env["S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1",
                accessKey: env["S3_ACCESS_KEY"] ?? "", secretKey: env["S3_SECRET_KEY"] ?? ""))
        }

        return PlaytestConfiguration(
            dataDirectory: dataDirectory, host: host, port: port, sql: sql, live: live, blobs: blobs,
            maxUploadBytes: maxUploadMB * 1024 * 1024, pythonPath: python,
            agentDirectory: agentDirectory, access: try AccessSettings.load(from: env), livePrefix: livePrefix,
            agentSessionTTL: .seconds(sessionTTL), retention: try RetentionSettings.load(from: env), llm: try LLMSettings.load(from: env))
    }

    private static func nonEmpty(_ env: [String: String], _ name: String) throws(ConfigurationError) -> String? {
        guard let value = env[name] else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if trimmed.contains("\0") { throw ConfigurationError(variable: name, problem: "contains a NUL byte") }
        return trimmed
    }

    private static func integer(_ env: [String: String], _ name: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = try nonEmpty(env, name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\(text.debugDescription) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}

/// A start-up error that names the variable and what is wrong with it.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public var variable: String
    public var problem: String
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }
    public var description: String { "\(variable) \(problem)" }
}

enum URLCheck {
    static func require(_ text: String, variable: String, schemes: Set<String>, needsHost: Bool) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ConfigurationError(variable: variable, problem: "\(redacted(text).debugDescription) is not a URL")
        }
        guard schemes.contains(scheme) else {
            throw ConfigurationError(variable: variable, problem: "has scheme \(scheme.debugDescription); expected \(schemes.sorted().map { $0 + "://" }.joined(separator: " or "))")
        }
        if needsHost, (components.host ?? "").isEmpty {
            throw ConfigurationError(variable: variable, problem: "\(redacted(text).debugDescription) has no host")
        }
        if components.port == nil, let authority = text.split(separator: "/").dropFirst().first, authority.hasSuffix(":") {
            throw ConfigurationError(variable: variable, problem: "has an empty port")
        }
    }

    /// Hides a password so error messages never print secrets.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
