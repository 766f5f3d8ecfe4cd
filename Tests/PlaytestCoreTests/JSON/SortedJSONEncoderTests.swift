import Foundation
import Testing
@testable import PlaytestCore

/// `SortedJSONEncoder` must write what Foundation's encoder configured by `PlaytestJSON.encoder()` writes, byte for byte:
/// stored JSON, fixtures and cached answers were all written by the one or the other.
@Suite("Sorted JSON encoder")
struct SortedJSONEncoderTests {
    struct Inner: Codable, Equatable {
        var name: String
        var values: [Double]
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case box(Inner, tags: [String])
        case none
    }

    struct Everything: Codable {
        var text = "plain"
        var escapes = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} esc \u{1B} del \u{7F}"
        var unicode = "é ü 漢字 😀 \u{2028} \u{2029} \u{FEFF}"
        var flag = true
        var int = Int.min
        var int8: Int8 = -128
        var uint64 = UInt64.max
        var uint8: UInt8 = 255
        var doubles: [Double] = [0, -0.0, 0.1, 1.5, 100, 1e20, 1e21, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308, -2.5e-10]
        var float: Float = 3.14159
        var floats: [Float] = [0.1, 1e10, 16777216]
        var missing: Int?
        var present: String? = "here"
        var date = Date(timeIntervalSince1970: 1_764_982_471.876)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.5)]
        var url = URL(string: "https://example.com/a/b?c=d")!
        var data = Data([0, 1, 2, 250, 255])
        var decimal = Decimal(string: "12.345")!
        var nested = Inner(name: "in", values: [1, 2.5])
        var list: [Inner] = []
        var byName: [String: Int] = ["b": 2, "a": 1, "aa": 3, "B": 4, "_": 5, "é": 6, "": 7, "a b": 8]
        var byNumber: [Int: String] = [10: "ten", 2: "two", -1: "minus one"]
        var deep: [[String: [Int?]]] = [["x": [1, nil, 3]], [:]]
        var shapes: [Shape] = [.circle(radius: 2), .box(Inner(name: "b", values: []), tags: ["t"]), .none]
        var json: JSONValue = .object(["z": .array([.number(JSONNumber(1)), .number(JSONNumber(double: 2.5, integer: nil)), .string("s"), .null, .bool(false)]), "a": .object([:])])
        var set: Set<String> = []
    }

    /// Writes its keys out of order, twice for one key, nested containers by hand and a nil explicitly.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case zulu, alpha, mike, nested, list, gone }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .zulu)
            try container.encode("first", forKey: .alpha)
            try container.encode("second", forKey: .alpha)
            try container.encodeNil(forKey: .gone)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode(true, forKey: .mike)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try list.encodeNil()
            var inner = list.nestedUnkeyedContainer()
            try inner.encode("x")
            var object = list.nestedContainer(keyedBy: Keys.self)
            try object.encode(2.0, forKey: .zulu)
        }
    }

    /// Optionals encoded as they are (not `encodeIfPresent`), present and absent, keyed and in a list: the encoder tells
    /// the common ones by their type.
    struct Optionals: Encodable {
        enum Keys: String, CodingKey { case text, noText, int, noInt, double, noDouble, flag, noFlag, date, noDate, list }
        var text: String? = "t \" /", int: Int? = -7, double: Double? = 0.1, flag: Bool? = false
        var date: Date? = Date(timeIntervalSince1970: 1_764_982_471.876)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(text, forKey: .text)
            try container.encode(String?.none, forKey: .noText)
            try container.encode(int, forKey: .int)
            try container.encode(Int?.none, forKey: .noInt)
            try container.encode(double, forKey: .double)
            try container.encode(Double?.none, forKey: .noDouble)
            try container.encode(flag, forKey: .flag)
            try container.encode(Bool?.none, forKey: .noFlag)
            try container.encode(date, forKey: .date)
            try container.encode(Date?.none, forKey: .noDate)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(double)
            try list.encode(Double?.none)
            try list.encode(text)
        }
    }

    static func same(_ value: some Encodable) throws {
        let foundation = String(decoding: try PlaytestJSON.encoder().encode(value), as: UTF8.self)
        let ours = String(decoding: try SortedJSONEncoder().encode(value), as: UTF8.self)
        #expect(ours == foundation)
    }

    @Test("every kind of value is written as Foundation's encoder writes it")
    func sameBytes() throws {
        try Self.same(Everything())
        try Self.same(Handwritten())
        try Self.same(Optionals())
        try Self.same([Optionals(text: nil, int: nil, double: 1e21, flag: true, date: nil)])
        try Self.same([Everything(), Everything()])
        try Self.same("a bare string")
        try Self.same(42)
        try Self.same(Optional<Int>.none)
        try Self.same([String: [String]]())
        try Self.same(Shape.none)
    }

    @Test("every control character, and a string of every byte-sized scalar")
    func strings() throws {
        let scalars = (0..<256).map { String(UnicodeScalar(UInt8($0))) }
        try Self.same(scalars)
        try Self.same(scalars.joined())
    }

    @Test("a number JSON cannot hold is refused, as Foundation's encoder refuses it")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode([value]) }
            #expect(throws: EncodingError.self) { try PlaytestJSON.encoder().encode([value]) }
            #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode(Optionals(double: value)) }
            #expect(throws: EncodingError.self) { try PlaytestJSON.encoder().encode(Optionals(double: value)) }
        }
    }

    @Test("timestamps: as the ISO 8601 format style writes them away from a millisecond's edge, and a parsed one written back unchanged")
    func timestamps() throws {
        var generator = SystemRandomNumberGenerator()
        var times: [Double] = [0, 0.0004, 0.9996, 1.9999, 86_399.9996, 951_782_400, 1_764_982_471.876, 4_102_444_800.123,
                               253_402_300_799]
        for _ in 0..<5000 { times.append(Double.random(in: 0..<4_102_444_800, using: &generator)) }
        for _ in 0..<5000 { times.append((Double.random(in: 0..<4_102_444_800_000, using: &generator)).rounded() / 1000) }
        for time in times {
            let date = Date(timeIntervalSince1970: time)
            let text = JSONTimestamp.format(date)
            let fraction = (time * 1000).truncatingRemainder(dividingBy: 1)
            if fraction > 0.01, fraction < 0.99 { #expect(text == JSONTimestamp.style.format(date), "\(time)") }
            // The style itself writes half of the times it parses back a millisecond early (…38.290Z → …38.289Z).
            let parsed = try #require(JSONTimestamp.parse(text))
            #expect(JSONTimestamp.format(parsed) == text)
        }
        #expect(JSONTimestamp.format(Date(timeIntervalSince1970: 1_764_982_471.876)) == "2025-12-06T00:54:31.876Z")
        #expect(JSONTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }
}
