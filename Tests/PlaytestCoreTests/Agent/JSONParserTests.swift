import Testing
@testable import PlaytestCore

@Suite("JSONParser")
struct JSONParserTests {
    let parser = JSONParser()

    func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#)
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object["a"] == .array([.number(JSONNumber(1)), .number(JSONNumber(double: -2.5, integer: nil)),
                                       .number(JSONNumber(double: 300, integer: nil)), .bool(true), .bool(false), .null]))
        #expect(object["b"] == .string("x\"\\/\u{08}\u{0C}\n\r\té😀"))
        #expect(object["c"] == .object([:]))
    }

    @Test func keepsIntegersApartFromFractions() throws {
        #expect(try parse("42") == .number(JSONNumber(42)))
        #expect(try parse("-0") == .number(JSONNumber(double: -0.0, integer: 0)))
        #expect(try parse("42.0") == .number(JSONNumber(double: 42, integer: nil)))
        // Beyond Int: still a number, but not an integer.
        #expect(try parse("123456789012345678901234567890") == .number(JSONNumber(double: 1.2345678901234568e29, integer: nil)))
    }

    @Test(arguments: [
        ("{\"a\": 1", 7), ("[1, 2", 5), ("\"abc", 4), ("tru", 3), ("{\"a\"", 4), ("-", 1), ("1.", 2), ("\"\\u12", 5),
    ])
    func reportsTruncationAtTheEnd(text: String, offset: Int) {
        #expect(throws: JSONParseError.truncated(offset: offset)) { try parse(text) }
    }

    @Test(arguments: ["{a: 1}", "[1,]", "[1 2]", "01", "1.e5", "+1", "'x'", "\"a\u{01}\"", "{\"a\":1}x", "nul!", "\"\\x\"",
                      "\"\\ud800\"", "\"\\udc00\"", "1e999", "NaN", "-Infinity", "Infinity", "{\"a\":1,\"a\":2}"])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            if case .truncated = error { Issue.record("\(text) is invalid, not truncated") }
        }
    }

    @Test(arguments: ["NaN", "nan", "Infinity", "inf", "-Infinity", "-inf"])
    func explainsNonFiniteNumbers(literal: String) {
        // Python's json writes NaN and Infinity, and repr() of a float writes nan and inf.
        let reason = "NaN and infinity (nan, inf) are not JSON numbers; a non-finite value must be sent as null"
        #expect(throws: JSONParseError.invalid(offset: 5, reason: reason)) { try parse("{\"a\":\(literal)}") }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONParseError.self) { try parser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.tooDeep(limit: JSONParser.defaultMaxDepth)) { try parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(fine)
    }
}
