import NIOCore

/// One RESP3 value as it travels on the wire.
///
/// Every RESP3 type has its own case; RESP2 replies are a subset. Bulk payloads stay `ByteBuffer`s
/// so binary data round-trips untouched; the `string`/`int`/... accessors convert for callers.
public enum RESPValue: Sendable, Hashable {
    /// `+OK`
    case simpleString(String)
    /// `-ERR message` (and `!` blob errors): the full text including the error code.
    case error(String)
    /// `:42`
    case integer(Int64)
    /// `$5\r\nhello`
    case bulkString(ByteBuffer)
    /// `_` (RESP3) and the RESP2 null bulk string / null array.
    case null
    /// `*2 ...`
    case array([RESPValue])
    /// `%1 ...`, kept in wire order.
    case map([RESPPair])
    /// `~2 ...`
    case set([RESPValue])
    /// `,3.14` (also `inf`, `-inf`, `nan`)
    case double(Double)
    /// `#t` / `#f`
    case boolean(Bool)
    /// `(3492890328409238509324850943850943825024385`
    indirect case bigNumber(String)
    /// `=15\r\ntxt:Some string`
    indirect case verbatimString(format: String, text: String)
    /// `>3 ...`: out-of-band data (pub/sub messages, invalidations).
    case push([RESPValue])
    /// `|1 ...` attributes followed by the value they describe.
    indirect case attributed(attributes: [RESPPair], value: RESPValue)
}

/// A key/value pair of a RESP3 map or attribute.
public struct RESPPair: Sendable, Hashable {
    public var key: RESPValue
    public var value: RESPValue
    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// A bulk string holding the UTF-8 bytes of `string`.
    public static func bulk(_ string: String) -> RESPValue {
        .bulkString(ByteBuffer(string: string))
    }

    /// The value without any attributes wrapped around it.
    public var withoutAttributes: RESPValue {
        if case .attributed(_, let value) = self { return value.withoutAttributes }
        return self
    }

    /// A push frame (possibly behind attributes); cheap, for the per-reply hot path.
    var isPush: Bool {
        switch self {
        case .push: return true
        case .attributed(_, let value): return value.isPush
        default: return false
        }
    }

    public var isNull: Bool {
        if case .null = withoutAttributes { return true }
        return false
    }

    /// Text of string-like values (simple, bulk, verbatim, big number, numbers as Redis prints them).
    public var string: String? {
        switch withoutAttributes {
        case .simpleString(let text): return text
        case .bulkString(let buffer): return String(buffer: buffer)
        case .verbatimString(_, let text): return text
        case .bigNumber(let digits): return digits
        case .integer(let value): return String(value)
        case .double(let value): return RESPValue.redisText(of: value)
        default: return nil
        }
    }

    /// Integer values, and strings that hold one.
    public var int: Int? {
        switch withoutAttributes {
        case .integer(let value): return Int(exactly: value)
        case .boolean(let flag): return flag ? 1 : 0
        case .simpleString, .bulkString, .bigNumber: return string.flatMap { Int($0) }
        default: return nil
        }
    }

    /// Doubles, integers, and strings that hold a number (RESP2 sends scores as bulk strings).
    public var double: Double? {
        switch withoutAttributes {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        case .simpleString, .bulkString, .verbatimString, .bigNumber:
            return string.flatMap(RESPValue.parseRedisDouble)
        default: return nil
        }
    }

    public var bool: Bool? {
        switch withoutAttributes {
        case .boolean(let flag): return flag
        case .integer(let value): return value != 0
        default: return nil
        }
    }

    /// Elements of arrays, sets and pushes.
    public var array: [RESPValue]? {
        switch withoutAttributes {
        case .array(let items), .set(let items), .push(let items): return items
        default: return nil
        }
    }

    /// Pairs of a RESP3 map, or of a RESP2 flat array `[k1, v1, k2, v2, ...]`.
    public var pairs: [RESPPair]? {
        switch withoutAttributes {
        case .map(let pairs): return pairs
        case .array(let items) where items.count % 2 == 0:
            return stride(from: 0, to: items.count, by: 2).map { RESPPair(key: items[$0], value: items[$0 + 1]) }
        default: return nil
        }
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = withoutAttributes { return message }
        return nil
    }

    static func parseRedisDouble(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }

    /// How Redis spells a double in commands (`inf`, `-inf`, shortest round-trip otherwise).
    public static func redisText(of value: Double) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        if value.isNaN { return "nan" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
