/// Where and how to reach Redis.
///
/// Built from a URL, `redis://[user[:password]@]host[:port][/db][?timeout=5s&pool=8]`:
/// `timeout` bounds every command (and each connection attempt), `pool` is the number of pooled
/// command connections (pub/sub has its own extra connection).
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: Int
    public var username: String?
    public var password: String?
    public var commandTimeout: Duration
    public var poolSize: Int
    /// Messages a subscriber may have waiting before the oldest are dropped (a slow reader never
    /// blocks the connection or other subscribers).
    public var subscriberBufferSize: Int

    public static let defaultPort = 6379

    public init(
        host: String = "127.0.0.1",
        port: Int = RedisConfiguration.defaultPort,
        database: Int = 0,
        username: String? = nil,
        password: String? = nil,
        commandTimeout: Duration = .seconds(5),
        poolSize: Int = 8,
        subscriberBufferSize: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.commandTimeout = commandTimeout
        self.poolSize = max(1, poolSize)
        self.subscriberBufferSize = max(1, subscriberBufferSize)
    }

    public init(url: String) throws(RedisConfigurationError) {
        self = try RedisURLParser.parse(url)
    }

    /// `host:port`, as used in error messages.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL with the password hidden, safe for logs.
    public var description: String {
        var credentials = ""
        if let username { credentials += percentEncoded(username) }
        if password != nil { credentials += ":***" }
        if !credentials.isEmpty { credentials += "@" }
        return "redis://\(credentials)\(endpoint)/\(database)"
    }

    private func percentEncoded(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("@", with: "%40").replacing(":", with: "%3A")
    }
}

/// What is wrong with a Redis URL; each message names the offending part.
public enum RedisConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case badScheme(String)
    case missingHost
    case badPort(String)
    case badDatabase(String)
    case badCredentials(String)
    case badOption(name: String, value: String)

    public var description: String {
        switch self {
        case .badScheme(let scheme):
            return "Redis URL must start with redis:// (got '\(scheme)'); expected redis://[user[:password]@]host[:port][/db]"
        case .missingHost:
            return "Redis URL has no host; expected redis://[user[:password]@]host[:port][/db]"
        case .badPort(let port):
            return "Redis URL has an invalid port '\(port)'; it must be a number from 1 to 65535"
        case .badDatabase(let database):
            return "Redis URL has an invalid database '\(database)'; it must be a number from 0 to 15 (or as configured in redis.conf)"
        case .badCredentials(let reason):
            return "Redis URL has invalid credentials: \(reason)"
        case .badOption(let name, let value):
            return "Redis URL has an invalid option \(name)=\(value); supported: timeout=<seconds|Nms|Ns>, pool=<1...256>"
        }
    }
}
