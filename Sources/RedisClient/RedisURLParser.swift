/// Parses `redis://[user[:password]@]host[:port][/db][?options]` without Foundation.
enum RedisURLParser {
    static func parse(_ url: String) throws(RedisConfigurationError) -> RedisConfiguration {
        let trimmed = url.trimmingWhitespace
        guard let schemeEnd = trimmed.firstRange(of: "://") else {
            throw .badScheme(trimmed.isEmpty ? "(empty)" : trimmed)
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw .badScheme(scheme == "rediss" ? "rediss (TLS is not supported)" : String(scheme))
        }
        var rest = Substring(trimmed[schemeEnd.upperBound...])

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        var configuration = RedisConfiguration()
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = try decode(credentials[..<colon])
                configuration.username = user.isEmpty ? nil : user
                configuration.password = try decode(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                // redis://secret@host is how many tools spell a password without a user.
                configuration.password = try decode(credentials)
            }
        }

        let (host, port) = try splitHostPort(rest)
        guard !host.isEmpty else { throw .missingHost }
        configuration.host = host
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { throw .badPort(String(port)) }
            configuration.port = number
        }

        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else { throw .badDatabase(String(path)) }
            configuration.database = database
        }

        for option in query.split(separator: "&") where !option.isEmpty {
            let parts = option.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).lowercased()
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch name {
            case "timeout":
                guard let timeout = parseDuration(value) else { throw .badOption(name: name, value: value) }
                configuration.commandTimeout = timeout
            case "pool":
                guard let size = Int(value), (1...256).contains(size) else { throw .badOption(name: name, value: value) }
                configuration.poolSize = size
            default:
                throw .badOption(name: name, value: value)
            }
        }
        return configuration
    }

    private static func splitHostPort(_ authority: Substring) throws(RedisConfigurationError) -> (String, Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .missingHost }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw .badPort(String(after)) }
            return (host, after.dropFirst())
        }
        if let colon = authority.lastIndex(of: ":") {
            return (String(authority[..<colon]), authority[authority.index(after: colon)...])
        }
        return (String(authority), nil)
    }

    /// `2.5` (seconds), `1500ms` or `3s`.
    private static func parseDuration(_ text: String) -> Duration? {
        let (number, scale): (Substring, Double) =
            text.hasSuffix("ms") ? (text.dropLast(2), 0.001) :
            text.hasSuffix("s") ? (text.dropLast(1), 1) : (Substring(text), 1)
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    private static func decode(_ text: Substring) throws(RedisConfigurationError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .badCredentials("'%' must be followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
