import NIOCore
import Testing
@testable import RedisClient

@Suite("RESP3 parser")
struct RESPParserTests {
    private func parseAll(_ text: String) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try RESPParser().parse(&buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0, "parser left \(buffer.readableBytes) bytes")
        return values
    }

    private func parseOne(_ text: String) throws -> RESPValue {
        let values = try parseAll(text)
        try #require(values.count == 1)
        return values[0]
    }

    @Test func simpleTypes() throws {
        #expect(try parseOne("+OK\r\n") == .simpleString("OK"))
        #expect(try parseOne("-ERR unknown command 'FOO'\r\n") == .error("ERR unknown command 'FOO'"))
        #expect(try parseOne(":-42\r\n") == .integer(-42))
        #expect(try parseOne(":9223372036854775807\r\n") == .integer(.max))
        #expect(try parseOne("_\r\n") == .null)
        #expect(try parseOne("#t\r\n") == .boolean(true))
        #expect(try parseOne("#f\r\n") == .boolean(false))
        #expect(try parseOne(",3.25\r\n") == .double(3.25))
        #expect(try parseOne(",-inf\r\n") == .double(-.infinity))
        #expect(try parseOne(",inf\r\n") == .double(.infinity))
        #expect(try parseOne(",nan\r\n").double?.isNaN == true)
        #expect(try parseOne("(3492890328409238509324850943850943825024385\r\n")
            == .bigNumber("3492890328409238509324850943850943825024385"))
    }

    @Test func blobTypes() throws {
        #expect(try parseOne("$5\r\nhello\r\n") == .bulk("hello"))
        #expect(try parseOne("$0\r\n\r\n") == .bulk(""))
        #expect(try parseOne("$4\r\na\r\nb\r\n") == .bulk("a\r\nb"), "payload may contain CRLF")
        #expect(try parseOne("$-1\r\n") == .null)
        #expect(try parseOne("*-1\r\n") == .null)
        #expect(try parseOne("!21\r\nSYNTAX invalid syntax\r\n") == .error("SYNTAX invalid syntax"))
        #expect(try parseOne("=15\r\ntxt:Some string\r\n") == .verbatimString(format: "txt", text: "Some string"))
    }

    @Test func aggregates() throws {
        #expect(try parseOne("*2\r\n:1\r\n$1\r\na\r\n") == .array([.integer(1), .bulk("a")]))
        #expect(try parseOne("*0\r\n") == .array([]))
        #expect(try parseOne("~2\r\n+a\r\n+b\r\n") == .set([.simpleString("a"), .simpleString("b")]))
        #expect(try parseOne("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n") == .map([
            RESPPair(key: .simpleString("first"), value: .integer(1)),
            RESPPair(key: .simpleString("second"), value: .integer(2)),
        ]))
        #expect(try parseOne(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n")
            == .push([.bulk("message"), .bulk("news"), .bulk("hi")]))
        #expect(try parseOne("*2\r\n*1\r\n_\r\n%0\r\n") == .array([.array([.null]), .map([])]))
    }

    @Test func attributesWrapTheValueTheyDescribe() throws {
        let value = try parseOne("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n")
        guard case .attributed(let attributes, let described) = value else {
            Issue.record("expected an attributed value, got \(value)")
            return
        }
        #expect(attributes.first?.key == .simpleString("key-popularity"))
        #expect(described == .array([.integer(2)]))
        #expect(value.array == [.integer(2)], "accessors look through attributes")
    }

    @Test func incompleteInputWaitsForMoreBytesAtEveryCut() throws {
        let wire = "*3\r\n$3\r\nfoo\r\n%1\r\n+k\r\n,1.5\r\n>2\r\n#t\r\n_\r\n"
        let expected = try parseOne(wire)
        let bytes = Array(wire.utf8)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[0..<cut])
            #expect(try RESPParser().parse(&buffer) == nil, "cut at \(cut) must wait")
            #expect(buffer.readableBytes == cut, "an incomplete parse consumes nothing")
            buffer.writeBytes(bytes[cut...])
            #expect(try RESPParser().parse(&buffer) == expected)
        }
    }

    @Test func severalRepliesInOneRead() throws {
        #expect(try parseAll("+OK\r\n:1\r\n$-1\r\n") == [.simpleString("OK"), .integer(1), .null])
    }

    @Test(arguments: [
        "?oops\r\n",            // unknown type byte
        ":12a\r\n",             // not an integer
        ":\r\n",                // empty integer
        "#x\r\n",               // bad boolean
        ",abc\r\n",             // bad double
        "$3\r\nabcd\r\n",       // blob longer than announced
        "+OK\rX",               // CR without LF
        "=5\r\nabcde\r\n",      // verbatim without format
        "*?\r\n",               // streamed aggregate
        ":99999999999999999999\r\n", // integer overflow
    ])
    func malformedInputIsRejected(wire: String) {
        var buffer = ByteBuffer(string: wire)
        #expect(throws: RESPProtocolError.self) { try RESPParser().parse(&buffer) }
    }

    @Test func nestingIsBounded() {
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: 100) + ":1\r\n")
        #expect(throws: RESPProtocolError.self) { try RESPParser(maximumDepth: 10).parse(&buffer) }
    }
}

@Suite("RESP3 decoder")
struct RESPDecoderTests {
    @Test func decodesAStreamCutAnywhere() throws {
        let wire = Array("+OK\r\n$5\r\nhello\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\np\r\n:7\r\n".utf8)
        for chunkSize in 1...wire.count {
            let processor = NIOSingleStepByteToMessageProcessor(RESPDecoder())
            var values: [RESPValue] = []
            for start in stride(from: 0, to: wire.count, by: chunkSize) {
                let chunk = ByteBuffer(bytes: wire[start..<min(start + chunkSize, wire.count)])
                try processor.process(buffer: chunk) { values.append($0) }
            }
            #expect(values == [
                .simpleString("OK"), .bulk("hello"), .push([.bulk("message"), .bulk("c"), .bulk("p")]), .integer(7),
            ], "chunks of \(chunkSize) bytes")
        }
    }

    @Test func malformedStreamThrows() {
        let processor = NIOSingleStepByteToMessageProcessor(RESPDecoder())
        #expect(throws: RESPProtocolError.self) {
            try processor.process(buffer: ByteBuffer(string: "+OK\r\n@bad\r\n")) { _ in }
        }
    }
}
