/// Splits TEXTMAP bytes into tokens, skipping whitespace and `//` and `/* */` comments.
struct UDMFLexer {
    enum Token: Equatable {
        case identifier(String)
        case integer(Int)
        case float(Double)
        case string(String)
        case openBrace, closeBrace, equals, semicolon
        case end
    }

    private let bytes: [UInt8]
    private(set) var position: Int = 0
    private(set) var line: Int = 1
    /// Offset and line where the last returned token started.
    private(set) var tokenOffset: Int = 0
    private(set) var tokenLine: Int = 1

    init<Bytes: Collection<UInt8>>(_ bytes: Bytes) { self.bytes = Array(bytes) }

    private func error(_ message: String) -> UDMFSyntaxError {
        UDMFSyntaxError(offset: tokenOffset, line: tokenLine, message: message)
    }

    private mutating func skipTrivia() throws(UDMFSyntaxError) {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n") {
                line += 1
                position += 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == 0 {
                position += 1
            } else if byte == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "/") {
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if byte == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
                tokenOffset = position
                tokenLine = line
                position += 2
                var closed = false
                while position < bytes.count {
                    if bytes[position] == UInt8(ascii: "*"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "/") {
                        position += 2
                        closed = true
                        break
                    }
                    if bytes[position] == UInt8(ascii: "\n") { line += 1 }
                    position += 1
                }
                if !closed { throw error("unterminated /* comment") }
            } else {
                return
            }
        }
    }

    mutating func next() throws(UDMFSyntaxError) -> Token {
        try skipTrivia()
        tokenOffset = position
        tokenLine = line
        guard position < bytes.count else { return .end }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "{"): position += 1; return .openBrace
        case UInt8(ascii: "}"): position += 1; return .closeBrace
        case UInt8(ascii: "="): position += 1; return .equals
        case UInt8(ascii: ";"): position += 1; return .semicolon
        case UInt8(ascii: "\""): return try quotedString()
        default: break
        }
        if Self.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
            return try number()
        }
        if Self.isIdentifierStart(byte) {
            let start = position
            while position < bytes.count, Self.isIdentifierStart(bytes[position]) || Self.isDigit(bytes[position]) {
                position += 1
            }
            return .identifier(String(decoding: bytes[start..<position], as: UTF8.self))
        }
        throw error("unexpected character '\(Self.printable(byte))'")
    }

    private mutating func quotedString() throws(UDMFSyntaxError) -> Token {
        position += 1
        var scalars: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .string(String(decoding: scalars, as: UTF8.self))
            }
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.count {
                scalars.append(bytes[position + 1])
                position += 2
                continue
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            scalars.append(byte)
            position += 1
        }
        throw error("unterminated string")
    }

    private mutating func number() throws(UDMFSyntaxError) -> Token {
        let start = position
        if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
        while position < bytes.count {
            let byte = bytes[position]
            let isExponentSign = (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"))
                && position > start && (bytes[position - 1] | 0x20) == UInt8(ascii: "e")
                && !Self.isHexPrefixed(bytes[start..<position])
            guard Self.isDigit(byte) || Self.isIdentifierStart(byte) || byte == UInt8(ascii: ".") || isExponentSign else { break }
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if let value = Self.parseInteger(text) { return .integer(value) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), !Self.isHexPrefixed(bytes[start..<position]),
           text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
           let value = Double(text) {
            return .float(value)
        }
        throw error("malformed number '\(text.prefix(40))'")
    }

    /// Decimal, `0x` hexadecimal or leading-zero octal, with an optional sign; nil if malformed or out of range.
    static func parseInteger(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let magnitude: Int?
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            magnitude = Int(body.dropFirst(2), radix: 16)
        } else if body.count > 1, body.hasPrefix("0") {
            magnitude = Int(body.dropFirst(), radix: 8)
        } else {
            magnitude = Int(body, radix: 10)
        }
        guard let magnitude else { return nil }
        return negative ? -magnitude : magnitude
    }

    private static func isHexPrefixed(_ slice: ArraySlice<UInt8>) -> Bool {
        var digits = slice.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        guard digits.first == UInt8(ascii: "0") else { return false }
        digits = digits.dropFirst()
        return digits.first.map { $0 | 0x20 == UInt8(ascii: "x") } ?? false
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inline(__always) static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
