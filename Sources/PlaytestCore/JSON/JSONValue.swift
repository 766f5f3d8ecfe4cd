/// Any JSON value: the one JSON value type of the platform (agent lines, request bodies, the agent config's `dqn`
/// object, stored parameters).
///
/// Numbers keep whether they were written as integers, so `"tic": 3` and `"tic": 3.5` can be told apart
/// without the guessing that `NSNumber` needs.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// What kind of value this is, in the words of an error message ("a string", "null", ...).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let number): return number.integer != nil ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON number: its value as a `Double`, and as an `Int` when it was written without a fraction or exponent
/// and fits.
public struct JSONNumber: Sendable, Hashable {
    public var double: Double
    public var integer: Int?

    public init(double: Double, integer: Int?) {
        self.double = double
        self.integer = integer
    }

    public init(_ integer: Int) {
        self.double = Double(integer)
        self.integer = integer
    }
}
