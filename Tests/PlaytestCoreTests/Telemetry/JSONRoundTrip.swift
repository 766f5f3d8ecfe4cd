import Foundation

/// Encodes values the way the API will (JSONEncoder) and looks at the result.
enum JSONRoundTrip {
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NotAnObject()
        }
        return object
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: some Encodable) throws -> T {
        try JSONDecoder().decode(type, from: try JSONEncoder().encode(value))
    }

    struct NotAnObject: Error {}
}
