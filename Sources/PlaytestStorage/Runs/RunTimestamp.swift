import Foundation

/// ISO 8601 timestamps with milliseconds, as the WebSocket messages and the live hash carry them.
enum RunTimestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func format(_ date: Date) -> String {
        style.format(date)
    }

    /// Accepts timestamps with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}

/// The report shapes write their dates as ISO 8601 strings themselves, so every encoder (Vapor's,
/// the CLI's) gives the same JSON.
extension KeyedEncodingContainer {
    mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(RunTimestamp.format), forKey: key)
    }
}

extension KeyedDecodingContainer {
    func decodeTimestamp(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = RunTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(text) is not an ISO 8601 timestamp")
        }
        return date
    }

    func decodeRequiredTimestamp(forKey key: Key) throws -> Date {
        guard let date = try decodeTimestamp(forKey: key) else {
            throw DecodingError.valueNotFound(Date.self, .init(codingPath: codingPath + [key], debugDescription: "a timestamp is required"))
        }
        return date
    }
}
