import Foundation

/// The platform's one JSON convention, for the API, the WebSocket messages, the CLI's `--format json`, the live
/// hash and the JSON stored in SQL:
///
/// - keys are spelled out by each type's `CodingKeys` in snake_case; nothing converts key names;
/// - dates are ISO 8601 strings with milliseconds (``JSONTimestamp``);
/// - keys are sorted, so the same value always gives the same text (a stored plan, a test fixture).
///
/// Nothing mutates a shared encoder: everyone who writes JSON asks for this one.
public enum PlaytestJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JSONTimestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = JSONTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 timestamp")
            }
            return date
        }
        return decoder
    }

    /// What `encoder()` writes, by ``SortedJSONEncoder``.
    public static func data(_ value: some Encodable) throws -> Data {
        Data(try SortedJSONEncoder().encode(value))
    }

    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try SortedJSONEncoder().encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: Data(text.utf8))
    }
}

/// ISO 8601 timestamps with milliseconds, as every JSON document of the platform writes them.
public enum JSONTimestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2026-12-06T01:54:31.876Z` (UTC, the milliseconds truncated, as `style` writes it), written by hand for the
    /// years 1970-9999: the format style took a tenth of a findings page's encoding time, and wrote half the times it
    /// parsed back a millisecond early.
    public static func format(_ date: Date) -> String {
        let time = date.timeIntervalSince1970
        guard time >= 0, time < 253_402_300_800 else { return style.format(date) }
        let seconds = time.rounded(.down)
        // To the microsecond first, as the style does: a parsed "…31.876Z" is stored as …31.8759999….
        let milliseconds = min(999, Int(((time - seconds) * 1_000_000).rounded()) / 1000)
        let whole = Int(seconds)
        let (days, ofDay) = whole.quotientAndRemainder(dividingBy: 86_400)
        let civil = CivilDate(daysSince1970: days)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(48 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(civil.year, 4); out.append(0x2D); digits(civil.month, 2); out.append(0x2D); digits(civil.day, 2); out.append(0x54)
        digits(ofDay / 3600, 2); out.append(0x3A); digits(ofDay / 60 % 60, 2); out.append(0x3A); digits(ofDay % 60, 2)
        out.append(0x2E); digits(milliseconds, 3); out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts timestamps with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}

/// Types that write their dates themselves, so that any encoder gives the same JSON.
extension KeyedEncodingContainer {
    public mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(JSONTimestamp.format), forKey: key)
    }
}

extension KeyedDecodingContainer {
    public func decodeTimestamp(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = JSONTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(text) is not an ISO 8601 timestamp")
        }
        return date
    }

    public func decodeRequiredTimestamp(forKey key: Key) throws -> Date {
        guard let date = try decodeTimestamp(forKey: key) else {
            throw DecodingError.valueNotFound(Date.self, .init(codingPath: codingPath + [key], debugDescription: "a timestamp is required"))
        }
        return date
    }
}
