import PlaytestCore

/// JSON Schema (as OpenAPI 3.1 uses it) written as Swift values, for the API document.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    /// An ISO 8601 timestamp.
    static let timestamp: JSONValue = ["type": "string", "format": "date-time"]
    /// Any JSON value.
    static let any: JSONValue = [:]

    static func string(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }

    static func integer(minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer"]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return .object(schema)
    }

    static func number(minimum: Double, maximum: Double) -> JSONValue {
        ["type": "number", "minimum": .double(minimum), "maximum": .double(maximum)]
    }

    static func array(_ items: JSONValue) -> JSONValue {
        ["type": "array", "items": items]
    }

    /// An object with these properties, all required unless listed in `optional`; other properties are allowed.
    static func object(_ properties: [String: JSONValue], optional: Set<String> = []) -> JSONValue {
        let required = properties.keys.filter { !optional.contains($0) }.sorted()
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        return .object(schema)
    }

    /// An object with string keys and values of one schema.
    static func map(_ values: JSONValue) -> JSONValue {
        ["type": "object", "additionalProperties": values]
    }

    /// The schema, or null.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        if case .object(var fields) = schema, fields["$ref"] == nil, case .string(let type)? = fields["type"] {
            fields["type"] = [.string(type), "null"]
            if case .array(let values)? = fields["enum"] { fields["enum"] = .array(values + [.null]) }
            return .object(fields)
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    /// A schema of the document's `components`.
    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }
}
