/// Why a line is not JSON.
public enum JSONParseError: Error, Sendable, Hashable {
    /// The input ended inside a value (a cut-off line).
    case truncated(offset: Int)
    /// The byte at `offset` cannot continue the value.
    case invalid(offset: Int, reason: String)
    /// Arrays and objects are nested deeper than the parser allows.
    case tooDeep(limit: Int)
}

/// A strict RFC 8259 parser for one JSON text held in memory.
///
/// It never traps on any input: every read is bounds-checked, nesting is limited, numbers outside the range of a
/// `Double` and duplicate object keys are rejected, and strings must be valid UTF-8.
public struct JSONParser: Sendable {
    public static let defaultMaxDepth = 64

    public var maxDepth: Int

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try parse(Array(bytes))
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.position < reader.bytes.count {
            throw .invalid(offset: reader.position, reason: "unexpected data after the JSON value")
        }
        return value
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maxDepth: Int
    var position = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(offset: position) }
        return bytes[position]
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            if startsWith("nan") { throw .invalid(offset: position, reason: Self.nonFiniteReason) }
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "i"):
            throw .invalid(offset: position, reason: Self.nonFiniteReason)
        default: throw .invalid(offset: position, reason: "expected a JSON value, found \(Self.describe(byte))")
        }
    }

    /// Whether the input continues with `word` at the current position.
    func startsWith(_ word: StaticString) -> Bool {
        word.withUTF8Buffer { expected in
            position + expected.count <= bytes.count && zip(expected, bytes[position...]).allSatisfy { $0 == $1 }
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = position
        let expected = word.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard position < bytes.count else { throw .truncated(offset: position) }
            guard bytes[position] == byte else {
                throw .invalid(offset: start, reason: "expected `\(word)`")
            }
            position += 1
        }
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
        position += 1 // {
        var members: [String: JSONValue] = [:]
        if depth == 1 { members.reserveCapacity(32) } // a message: up to about 25 fields
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyOffset = position
            guard try peek() == UInt8(ascii: "\"") else {
                throw .invalid(offset: position, reason: "expected a quoted object key, found \(Self.describe(bytes[position]))")
            }
            let key = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else {
                throw .invalid(offset: position, reason: "expected `:` after the key \"\(key)\"")
            }
            position += 1
            skipWhitespace()
            let member = try value(depth: depth)
            guard members.updateValue(member, forKey: key) == nil else {
                throw .invalid(offset: keyOffset, reason: "the key \"\(key)\" appears twice")
            }
            skipWhitespace()
            let separator = try peek()
            position += 1
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else {
                throw .invalid(offset: position - 1, reason: "expected `,` or `}` in an object, found \(Self.describe(separator))")
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
        position += 1 // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            let separator = try peek()
            position += 1
            if separator == UInt8(ascii: "]") { return .array(elements) }
            guard separator == UInt8(ascii: ",") else {
                throw .invalid(offset: position - 1, reason: "expected `,` or `]` in an array, found \(Self.describe(separator))")
            }
        }
    }

    mutating func string() throws(JSONParseError) -> String {
        let start = position
        position += 1 // opening quote
        // Fast path: no escapes and no control characters, so the bytes between the quotes are the string.
        var end = position
        var ascii = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                let content = bytes[position..<end]
                // ASCII is valid UTF-8 as it is; only other bytes need the (slower) validation.
                let text = ascii ? String(decoding: content, as: UTF8.self) : String(validating: content, as: UTF8.self)
                guard let text else { break }
                position = end + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        var utf8: [UInt8] = []
        while true {
            let byte = try peek()
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw .invalid(offset: start, reason: "a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0x00..<0x20:
                throw .invalid(offset: position - 1, reason: "a control character must be escaped inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    mutating func escape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let byte = try peek()
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard try peek() == UInt8(ascii: "\\") else {
                    throw .invalid(offset: position, reason: "an unpaired UTF-16 surrogate in a \\u escape")
                }
                position += 1
                guard try peek() == UInt8(ascii: "u") else {
                    throw .invalid(offset: position, reason: "an unpaired UTF-16 surrogate in a \\u escape")
                }
                position += 1
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw .invalid(offset: position - 6, reason: "an unpaired UTF-16 surrogate in a \\u escape")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw .invalid(offset: position - 6, reason: "an unpaired UTF-16 surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw .invalid(offset: position - 6, reason: "an invalid \\u escape")
            }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw .invalid(offset: position - 1, reason: "an invalid escape \\\(Self.describeRaw(byte))")
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        var result: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peek()
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .invalid(offset: position, reason: "a \\u escape needs four hex digits")
            }
            result = result << 4 | digit
            position += 1
        }
        return result
    }

    mutating func number() throws(JSONParseError) -> JSONNumber {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let firstDigit = try peek()
        if firstDigit == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(firstDigit) {
            skipDigits()
        } else if firstDigit == UInt8(ascii: "I") || firstDigit == UInt8(ascii: "i") {
            throw .invalid(offset: start, reason: Self.nonFiniteReason)
        } else {
            throw .invalid(offset: position, reason: "expected a digit in a number")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(try peek()) else { throw .invalid(offset: position, reason: "expected a digit after `.`") }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            let sign = try peek()
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard isDigit(try peek()) else { throw .invalid(offset: position, reason: "expected a digit in an exponent") }
            skipDigits()
        }
        // Fast path: a short integer is exact in both Int and Double.
        if isInteger, position - start <= 15 {
            var value = 0
            var index = start
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            while index < position {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            if negative { value = -value }
            return JSONNumber(double: Double(value), integer: value)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw .invalid(offset: start, reason: "the number \(text) is out of range")
        }
        return JSONNumber(double: double, integer: isInteger ? Int(text) : nil)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    static let nonFiniteReason = "NaN and infinity (nan, inf) are not JSON numbers; a non-finite value must be sent as null"

    static func describe(_ byte: UInt8) -> String {
        "`\(describeRaw(byte))`"
    }

    static func describeRaw(_ byte: UInt8) -> String {
        if byte >= 0x20, byte < 0x7F { return String(UnicodeScalar(byte)) }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
