import NIOCore

/// Encodes a batch of commands into one buffer, so a pipeline leaves in a single write.
public struct RESPCommandEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = [RESPCommand]

    public init() {}

    public func encode(data: [RESPCommand], out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: data.reduce(0) { $0 + $1.wire.count })
        for command in data {
            out.writeBytes(command.wire)
        }
    }
}
