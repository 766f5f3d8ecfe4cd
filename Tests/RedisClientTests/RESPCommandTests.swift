import NIOCore
import Testing
@testable import RedisClient

@Suite("RESP command encoding")
struct RESPCommandTests {
    @Test func encodesAnArrayOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPCommand("SET", "key", "välue").encode(into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nvälue\r\n")
    }

    @Test func encodesEmptyAndLongArguments() {
        var buffer = ByteBuffer()
        let long = String(repeating: "x", count: 12)
        RESPCommand("ECHO", ["", long]).encode(into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$4\r\nECHO\r\n$0\r\n\r\n$12\r\n\(long)\r\n")
    }

    @Test func aBatchIsOneBuffer() throws {
        var buffer = ByteBuffer()
        try RESPCommandEncoder().encode(data: [RESPCommand("PING"), RESPCommand("GET", "a")], out: &buffer)
        #expect(String(buffer: buffer) == "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
    }

    @Test func encodedCommandsParseBackAsArrays() throws {
        var buffer = ByteBuffer()
        RESPCommand("HSET", "h", "f", "v").encode(into: &buffer)
        let parsed = try RESPParser().parse(&buffer)
        #expect(parsed == .array([.bulk("HSET"), .bulk("h"), .bulk("f"), .bulk("v")]))
    }

    @Test func descriptionNeverShowsArguments() {
        let command = RESPCommand("AUTH", "user", "secret")
        #expect(command.name == "AUTH")
        #expect(!command.description.contains("secret"))
    }

    @Test func subscribeCommandsExpectOneConfirmationPerChannel() {
        #expect(RedisReplyShape(RESPCommand("SUBSCRIBE", "a", "b")) == .confirmations(2))
        #expect(RedisReplyShape(RESPCommand("punsubscribe", "p*")) == .confirmations(1))
        #expect(RedisReplyShape(RESPCommand("GET", "a")) == .single)
    }
}
