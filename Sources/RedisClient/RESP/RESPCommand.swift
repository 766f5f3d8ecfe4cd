import NIOCore

/// One Redis command, already encoded as a RESP array of bulk strings.
///
/// Encoding happens once, when the command is made, straight from the arguments into one array
/// (a single allocation); sending is then a copy of those bytes into the batch being written.
public struct RESPCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command on the wire: `*<n>\r\n$<len>\r\n<arg>\r\n...`.
    public let wire: [UInt8]
    /// The command name and arguments, counted together.
    public let argumentCount: Int

    /// The wire bytes as a buffer.
    public var encoded: ByteBuffer { ByteBuffer(bytes: wire) }

    public init(_ arguments: [ByteBuffer]) {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(arguments.reduce(16) { $0 + $1.readableBytes + 16 })
        Self.writeHeader(count: arguments.count, into: &buffer)
        for argument in arguments {
            Self.writeLength(marker: UInt8(ascii: "$"), argument.readableBytes, into: &buffer)
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
        wire = Array(buffer.readableBytesView)
        argumentCount = arguments.count
    }

    public init(_ name: String, _ arguments: [String] = []) {
        // Worst case per bulk string: "$" + up to 20 length digits + CRLF + payload + CRLF.
        var capacity = name.utf8.count + 48
        for argument in arguments { capacity += argument.utf8.count + 25 }
        wire = [UInt8](unsafeUninitializedCapacity: capacity) { raw, initialized in
            var writer = RawWriter(base: UnsafeMutableRawBufferPointer(raw))
            writer.length(marker: UInt8(ascii: "*"), arguments.count + 1)
            writer.bulk(name)
            for argument in arguments { writer.bulk(argument) }
            initialized = writer.offset
        }
        argumentCount = arguments.count + 1
    }

    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// The arguments, decoded back from the wire form (for tests and diagnostics).
    public var arguments: [ByteBuffer] {
        var buffer = encoded
        guard case .array(let items)? = try? RESPParser().parse(&buffer) else { return [] }
        return items.compactMap { if case .bulkString(let bytes) = $0 { return bytes } else { return nil } }
    }

    /// The command name, upper-cased (for logs and errors; never the arguments, which may be secrets).
    public var name: String {
        nameBytes.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
    }

    public var description: String { "\(name) (\(max(argumentCount - 1, 0)) arguments)" }

    /// True for (P|S)(UN)SUBSCRIBE, whose RESP3 replies arrive as push frames; checked on the
    /// bytes so ordinary commands never pay for building the name.
    var isSubscriptionChange: Bool {
        guard let bytes = nameBytes, bytes.count >= 9, bytes.count <= 12 else { return false }
        return RedisReplyShape.subscriptionCommands.contains(String(decoding: bytes, as: UTF8.self).uppercased())
    }

    /// Writes the command into a batch buffer.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeBytes(wire)
    }

    private var nameBytes: ByteBufferView? {
        var buffer = encoded
        // Skip "*<n>\r\n", read "$<len>\r\n".
        guard let headerEnd = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        buffer.moveReaderIndex(to: headerEnd + 1)
        guard buffer.readInteger(as: UInt8.self) == UInt8(ascii: "$"),
              let lengthEnd = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\r")),
              let length = buffer.readString(length: lengthEnd - buffer.readerIndex).flatMap({ Int($0) }) else { return nil }
        buffer.moveReaderIndex(forwardBy: 2)
        return buffer.readSlice(length: length)?.readableBytesView
    }

    private static func writeHeader(count: Int, into buffer: inout ByteBuffer) {
        writeLength(marker: UInt8(ascii: "*"), count, into: &buffer)
    }

    private static func writeLength(marker: UInt8, _ value: Int, into buffer: inout ByteBuffer) {
        buffer.writeInteger(marker)
        if value < 10 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value))
        } else {
            buffer.writeString(String(value))
        }
        buffer.writeStaticString("\r\n")
    }
}

/// Writes RESP framing straight into reserved memory: one capacity check per command instead of
/// one per byte.
private struct RawWriter {
    let base: UnsafeMutableRawBufferPointer
    var offset = 0

    mutating func byte(_ value: UInt8) {
        base[offset] = value
        offset += 1
    }

    mutating func length(marker: UInt8, _ value: Int) {
        byte(marker)
        if value < 10 {
            byte(UInt8(ascii: "0") + UInt8(value))
        } else {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var rest = value
            withUnsafeMutableBytes(of: &digits) { scratch in
                while rest > 0 {
                    scratch[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                }
                for index in stride(from: count - 1, through: 0, by: -1) { byte(scratch[index]) }
            }
        }
        byte(UInt8(ascii: "\r"))
        byte(UInt8(ascii: "\n"))
    }

    mutating func bulk(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            length(marker: UInt8(ascii: "$"), utf8.count)
            if let source = utf8.baseAddress, let destination = base.baseAddress, utf8.count > 0 {
                (destination + offset).copyMemory(from: source, byteCount: utf8.count)
                offset += utf8.count
            }
        }
        byte(UInt8(ascii: "\r"))
        byte(UInt8(ascii: "\n"))
    }
}
