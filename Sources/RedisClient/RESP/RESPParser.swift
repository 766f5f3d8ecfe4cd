import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A malformed RESP stream; the connection that produced it is closed.
public struct RESPProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "Malformed RESP data from Redis: \(reason)" }
}

/// Parses one complete RESP3 value from the front of a buffer.
///
/// `parse` returns nil (and leaves the buffer untouched) when the value is not complete yet, so the
/// decoder can wait for more bytes and try again.
public struct RESPParser: Sendable {
    /// Nesting deeper than this is rejected instead of recursing without bound.
    public var maximumDepth: Int
    /// Bulk strings and aggregates larger than this are rejected.
    public var maximumLength: Int

    public init(maximumDepth: Int = 64, maximumLength: Int = 512 * 1024 * 1024) {
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    public func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var view = buffer
        guard let value = try parseValue(&view, depth: 0) else { return nil }
        buffer = view
        return value
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth <= maximumDepth else { throw RESPProtocolError("nesting deeper than \(maximumDepth) levels") }
        guard let marker = buffer.readInteger(as: UInt8.self) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            return try readLine(&buffer).map { .simpleString(String(buffer: $0)) }
        case UInt8(ascii: "-"):
            return try readLine(&buffer).map { .error(String(buffer: $0)) }
        case UInt8(ascii: ":"):
            return try readLine(&buffer).map { .integer(try integer(in: $0)) }
        case UInt8(ascii: "_"):
            guard let line = try readLine(&buffer) else { return nil }
            guard line.readableBytes == 0 else { throw RESPProtocolError("null with a payload") }
            return .null
        case UInt8(ascii: "#"):
            guard let line = try readLine(&buffer) else { return nil }
            switch line.readableBytesView.first {
            case UInt8(ascii: "t") where line.readableBytes == 1: return .boolean(true)
            case UInt8(ascii: "f") where line.readableBytes == 1: return .boolean(false)
            default: throw RESPProtocolError("boolean that is neither t nor f")
            }
        case UInt8(ascii: ","):
            guard let line = try readLine(&buffer) else { return nil }
            guard let value = RESPValue.parseRedisDouble(String(buffer: line)) else {
                throw RESPProtocolError("double '\(String(buffer: line))'")
            }
            return .double(value)
        case UInt8(ascii: "("):
            guard let line = try readLine(&buffer) else { return nil }
            let digits = String(buffer: line)
            guard !digits.isEmpty, digits.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) else {
                throw RESPProtocolError("big number '\(digits)'")
            }
            return .bigNumber(digits)
        case UInt8(ascii: "$"):
            guard let payload = try readBlob(&buffer) else { return nil }
            return payload.map(RESPValue.bulkString) ?? .null
        case UInt8(ascii: "!"):
            guard let payload = try readBlob(&buffer) else { return nil }
            guard let payload else { throw RESPProtocolError("null blob error") }
            return .error(String(buffer: payload))
        case UInt8(ascii: "="):
            guard let payload = try readBlob(&buffer) else { return nil }
            guard let payload else { throw RESPProtocolError("null verbatim string") }
            let text = String(buffer: payload)
            guard text.utf8.count >= 4, text.utf8.dropFirst(3).first == UInt8(ascii: ":") else {
                throw RESPProtocolError("verbatim string without a 3-letter format")
            }
            return .verbatimString(format: String(text.prefix(3)), text: String(text.dropFirst(4)))
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            guard let count = try readCount(&buffer) else { return nil }
            guard count >= 0 else { return .null }
            var items: [RESPValue] = []
            items.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let item = try parseValue(&buffer, depth: depth + 1) else { return nil }
                items.append(item)
            }
            switch marker {
            case UInt8(ascii: "*"): return .array(items)
            case UInt8(ascii: "~"): return .set(items)
            default: return .push(items)
            }
        case UInt8(ascii: "%"), UInt8(ascii: "|"):
            guard let count = try readCount(&buffer) else { return nil }
            guard count >= 0 else { throw RESPProtocolError("negative map size") }
            var pairs: [RESPPair] = []
            pairs.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let key = try parseValue(&buffer, depth: depth + 1),
                      let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
                pairs.append(RESPPair(key: key, value: value))
            }
            if marker == UInt8(ascii: "%") { return .map(pairs) }
            guard let described = try parseValue(&buffer, depth: depth + 1) else { return nil }
            return .attributed(attributes: pairs, value: described)
        default:
            throw RESPProtocolError("unknown type byte 0x\(String(marker, radix: 16))")
        }
    }

    /// The bytes up to the next CRLF (consumed), or nil when the line is incomplete.
    private func readLine(_ buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let length = buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, bytes.count > 0,
                  let found = memchr(base, Int32(UInt8(ascii: "\r")), bytes.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        guard let length else {
            if buffer.readableBytes > 64 * 1024 { throw RESPProtocolError("line longer than 64 KiB") }
            return nil
        }
        guard buffer.readableBytes >= length + 2 else { return nil }
        guard buffer.getInteger(at: buffer.readerIndex + length + 1, as: UInt8.self) == UInt8(ascii: "\n") else {
            throw RESPProtocolError("CR not followed by LF")
        }
        let line = buffer.readSlice(length: length)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private func readCount(_ buffer: inout ByteBuffer) throws -> Int? {
        guard let line = try readLine(&buffer) else { return nil }
        if line.readableBytesView.first == UInt8(ascii: "?") {
            throw RESPProtocolError("streamed aggregates are not supported")
        }
        let count = try integer(in: line)
        guard count <= maximumLength else { throw RESPProtocolError("aggregate of \(count) elements") }
        return Int(count)
    }

    /// `.some(nil)` for a null blob (`$-1`), nil when incomplete.
    private func readBlob(_ buffer: inout ByteBuffer) throws -> ByteBuffer?? {
        guard let length = try readCount(&buffer) else { return nil }
        guard length >= 0 else { return .some(nil) }
        guard buffer.readableBytes >= length + 2 else { return nil }
        guard let payload = buffer.readSlice(length: length) else { return nil }
        guard buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\r"),
              buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\n") else {
            throw RESPProtocolError("blob of \(length) bytes not followed by CRLF")
        }
        return .some(payload)
    }

    private func integer(in line: ByteBuffer) throws -> Int64 {
        let bytes = line.readableBytesView
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.endIndex else { throw RESPProtocolError("empty integer") }
        var value: Int64 = 0
        while index < bytes.endIndex {
            let digit = bytes[index]
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                throw RESPProtocolError("integer '\(String(buffer: line))'")
            }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw RESPProtocolError("integer out of range") }
            value = next
            index += 1
        }
        return negative ? -value : value
    }
}
