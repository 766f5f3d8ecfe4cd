import NIOCore

/// One Redis command: its name and arguments, each sent as a bulk string.
public struct RESPCommand: Sendable, Hashable, CustomStringConvertible {
    public var arguments: [ByteBuffer]

    public init(_ arguments: [ByteBuffer]) {
        self.arguments = arguments
    }

    public init(_ name: String, _ arguments: [String] = []) {
        var all: [ByteBuffer] = [ByteBuffer(string: name)]
        all.reserveCapacity(arguments.count + 1)
        for argument in arguments { all.append(ByteBuffer(string: argument)) }
        self.arguments = all
    }

    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// The command name, upper-cased (for logs and errors; never the arguments, which may be secrets).
    public var name: String {
        arguments.first.map { String(buffer: $0).uppercased() } ?? ""
    }

    public var description: String { "\(name) (\(max(arguments.count - 1, 0)) arguments)" }

    /// Writes the command as a RESP array of bulk strings.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        RESPCommand.writeDecimal(arguments.count, into: &buffer)
        for argument in arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            RESPCommand.writeDecimal(argument.readableBytes, into: &buffer)
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    /// How many bytes `encode` writes, to size the buffer once.
    var encodedSizeEstimate: Int {
        arguments.reduce(16) { $0 + $1.readableBytes + 16 }
    }

    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        if value < 10 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value))
        } else {
            buffer.writeString(String(value))
        }
        buffer.writeStaticString("\r\n")
    }
}
