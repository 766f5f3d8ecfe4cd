import NIOCore

/// Turns the byte stream from Redis into `RESPValue`s, one per complete reply or push frame.
///
/// Usable as a `ByteToMessageHandler` in a pipeline and, as `RedisConnection` does, as a
/// `NIOSingleStepByteToMessageProcessor` inside the command handler, which saves a trip through
/// the pipeline for every reply.
public struct RESPDecoder: ByteToMessageDecoder, NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = RESPValue

    private let parser: RESPParser

    public init(parser: RESPParser = RESPParser()) {
        self.parser = parser
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try parser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        try parser.parse(&buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try parser.parse(&buffer)
    }
}
