import Foundation

/// Accounts, tokens and rate limits, from the environment (docs/accounts.md lists every variable).
public struct AccessSettings: Sendable, Equatable {
    /// bcrypt cost (`PLAYTEST_BCRYPT_COST`, default 12; below 12 only for tests).
    public var bcryptCost: Int = 12
    /// `POST /api/v1/auth/register` open to anyone (`PLAYTEST_OPEN_SIGNUP=1`); otherwise admins invite users.
    public var openSignup = false
    /// Creates this administrator at start when no user has that address (`PLAYTEST_ADMIN_EMAIL`/`PLAYTEST_ADMIN_PASSWORD`).
    public var admin: AdminAccount?
    /// `GET /metrics` asks for `Authorization: Bearer <token>` when set (`PLAYTEST_METRICS_TOKEN`).
    public var metricsToken: String?
    /// The HS256 key for access tokens (`PLAYTEST_JWT_SECRET`, ≥ 32 bytes); absent: generated once and kept in SQL.
    public var jwtSecret: String?
    /// Requests per minute per user or key (`PLAYTEST_RATE_LIMIT`, default 600; 0 turns it off).
    public var requestsPerMinute = 600
    /// Requests per minute per client address (`PLAYTEST_RATE_LIMIT_IP`, default 1200; 0 turns it off).
    public var requestsPerMinutePerIP = 1200
    /// Sign-in attempts per 15 minutes per account and per address (`PLAYTEST_LOGIN_LIMIT`, default 10).
    public var signInAttempts = 10
    /// Session cookies carry `Secure` (`PLAYTEST_SECURE_COOKIES=1`, or a request that came over https).
    public var secureCookies = false
    /// Front ends hosted elsewhere that may call the API from a browser, as origins such as `https://play.example.com`
    /// (`PLAYTEST_CORS_ORIGINS`, comma-separated; none by default).
    public var corsOrigins: [String] = []
    /// Proxies besides this machine whose `X-Forwarded-For` names the client (`PLAYTEST_TRUSTED_PROXIES`, IP addresses
    /// or ranges such as `172.16.0.0/12`, comma-separated): nginx on another host or in another container. Without it
    /// every client behind such a proxy shares its address for the per-address rate and sign-in limits.
    public var trustedProxies: [String] = []

    public init() {}

    static func load(from env: [String: String]) throws(ConfigurationError) -> AccessSettings {
        var settings = AccessSettings()
        settings.bcryptCost = try number(env, "PLAYTEST_BCRYPT_COST", range: 4...31) ?? 12
        settings.openSignup = try flag(env, "PLAYTEST_OPEN_SIGNUP")
        settings.secureCookies = try flag(env, "PLAYTEST_SECURE_COOKIES")
        settings.requestsPerMinute = try number(env, "PLAYTEST_RATE_LIMIT", range: 0...100_000_000) ?? 600
        settings.requestsPerMinutePerIP = try number(env, "PLAYTEST_RATE_LIMIT_IP", range: 0...100_000_000) ?? 1200
        settings.signInAttempts = try number(env, "PLAYTEST_LOGIN_LIMIT", range: 1...10_000) ?? 10
        settings.metricsToken = text(env, "PLAYTEST_METRICS_TOKEN")
        settings.corsOrigins = try origins(env, "PLAYTEST_CORS_ORIGINS")
        settings.trustedProxies = try addresses(env, "PLAYTEST_TRUSTED_PROXIES")
        if let secret = text(env, "PLAYTEST_JWT_SECRET") {
            guard secret.utf8.count >= 32 else { throw ConfigurationError(variable: "PLAYTEST_JWT_SECRET", problem: "must be at least 32 bytes long") }
            settings.jwtSecret = secret
        }
        let email = text(env, "PLAYTEST_ADMIN_EMAIL")
        let password = env["PLAYTEST_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        switch (email, password) {
        case (nil, nil): break
        case (.some, nil): throw ConfigurationError(variable: "PLAYTEST_ADMIN_PASSWORD", problem: "is required when PLAYTEST_ADMIN_EMAIL is set")
        case (nil, .some): throw ConfigurationError(variable: "PLAYTEST_ADMIN_EMAIL", problem: "is required when PLAYTEST_ADMIN_PASSWORD is set")
        case (.some(let email), .some(let password)):
            guard email.contains("@") else { throw ConfigurationError(variable: "PLAYTEST_ADMIN_EMAIL", problem: "\(email.debugDescription) is not an e-mail address") }
            guard password.count >= 8 else { throw ConfigurationError(variable: "PLAYTEST_ADMIN_PASSWORD", problem: "must be at least 8 characters") }
            settings.admin = AdminAccount(email: email, password: password)
        }
        return settings
    }

    private static func text(_ env: [String: String], _ name: String) -> String? {
        env[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func flag(_ env: [String: String], _ name: String) throws(ConfigurationError) -> Bool {
        switch text(env, name)?.lowercased() {
        case nil, "0", "false", "no": return false
        case "1", "true", "yes": return true
        case let other?: throw ConfigurationError(variable: name, problem: "\(other.debugDescription) is not 1 or 0")
        }
    }

    /// `scheme://host[:port]` each, the form a browser's `Origin` header takes; a path, `*` or `null` is refused.
    private static func origins(_ env: [String: String], _ name: String) throws(ConfigurationError) -> [String] {
        guard let value = text(env, name) else { return [] }
        var origins: [String] = []
        for origin in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !origin.isEmpty {
            guard origin.range(of: #"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$"#, options: .regularExpression) != nil else {
                throw ConfigurationError(variable: name, problem: "\(origin.debugDescription) is not an origin such as https://play.example.com (scheme, host and optional port; no path, no *)")
            }
            origins.append(origin.lowercased())
        }
        return origins
    }

    /// IPv4 or IPv6 addresses, each optionally with a prefix length (`/12`).
    private static func addresses(_ env: [String: String], _ name: String) throws(ConfigurationError) -> [String] {
        guard let value = text(env, name) else { return [] }
        var addresses: [String] = []
        for address in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !address.isEmpty {
            let ipv4 = address.range(of: #"^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$"#, options: .regularExpression) != nil
            let ipv6 = address.contains(":") && address.range(of: #"^[0-9A-Fa-f:.]+(/([0-9]{1,2}|1[01][0-9]|12[0-8]))?$"#, options: .regularExpression) != nil
            guard ipv4 || ipv6 else {
                throw ConfigurationError(variable: name, problem: "\(address.debugDescription) is not an IP address or range (such as 10.0.0.5 or 172.16.0.0/12)")
            }
            addresses.append(address.lowercased())
        }
        return addresses
    }

    private static func number(_ env: [String: String], _ name: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = text(env, name) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw ConfigurationError(variable: name, problem: "\(value.debugDescription) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }
}

/// The administrator named by `PLAYTEST_ADMIN_EMAIL` and `PLAYTEST_ADMIN_PASSWORD`.
public struct AdminAccount: Sendable, Equatable {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }
}
