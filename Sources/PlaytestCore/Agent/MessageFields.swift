/// Typed access to the fields of one message object, throwing ``AgentProtocolError`` with the message type and
/// field name on anything missing, mistyped or out of range.
///
/// As in the protocol's JSON schema, every field is required: "optional" (nullable) fields must be present but may
/// be `null`, and a field the message type does not define is an error (`additionalProperties: false`).
struct MessageFields {
    let type: String
    let object: [String: JSONValue]
    var rejectsUnknownFields = true

    /// Whether an optional field (one only some agents send) is there.
    func has(_ key: String) -> Bool { object[key] != nil }

    /// The value of a nullable field: nil for `null`; absent is an error.
    private func present(_ key: String) throws(AgentProtocolError) -> JSONValue? {
        switch object[key] {
        case .none: throw .missingField(type: type, field: key)
        case .some(.null): return nil
        case .some(let value): return value
        }
    }

    /// Fails on a field that is not one of `names` (nor `v` or `type`), naming the first such field in sorted order.
    func rejectUnknownFields(_ names: Set<String>) throws(AgentProtocolError) {
        guard rejectsUnknownFields else { return }
        var unknown: String?
        for key in object.keys where !names.contains(key) && key != "v" && key != "type" {
            if unknown.map({ key < $0 }) ?? true { unknown = key }
        }
        if let unknown { throw .unknownField(type: type, field: unknown) }
    }

    private func required(_ key: String) throws(AgentProtocolError) -> JSONValue {
        guard let value = object[key] else { throw .missingField(type: type, field: key) }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> AgentProtocolError {
        .wrongFieldType(type: type, field: key, expected: expected, found: value.kindDescription)
    }

    // MARK: integers

    func int(_ key: String, min: Int? = 0) throws(AgentProtocolError) -> Int {
        try integer(key, try required(key), min: min)
    }

    func optionalInt(_ key: String, min: Int? = 0) throws(AgentProtocolError) -> Int? {
        guard let value = try present(key) else { return nil }
        return try integer(key, value, min: min)
    }

    private func integer(_ key: String, _ value: JSONValue, min: Int?) throws(AgentProtocolError) -> Int {
        guard case .number(let number) = value else { throw wrongType(key, "an integer", value) }
        // 3.0 is accepted as 3; 3.5 and integers beyond Int's range are not.
        guard let integer = number.integer ?? Self.exactInteger(number.double) else {
            throw .wrongFieldType(type: type, field: key, expected: "an integer", found: "the number \(number.double)")
        }
        if let min, integer < min {
            throw .outOfRange(type: type, field: key, value: String(integer), expected: "an integer ≥ \(min)")
        }
        return integer
    }

    private static func exactInteger(_ double: Double) -> Int? {
        guard double.rounded() == double, abs(double) < 9.0e15 else { return nil }
        return Int(double)
    }

    // MARK: numbers

    func double(_ key: String, min: Double? = nil, max: Double? = nil) throws(AgentProtocolError) -> Double {
        try number(key, try required(key), min: min, max: max)
    }

    func positiveDouble(_ key: String) throws(AgentProtocolError) -> Double {
        let value = try number(key, try required(key), min: nil, max: nil)
        guard value > 0 else {
            throw .outOfRange(type: type, field: key, value: String(value), expected: "a number > 0")
        }
        return value
    }

    func optionalDouble(_ key: String, min: Double? = nil, max: Double? = nil) throws(AgentProtocolError) -> Double? {
        guard let value = try present(key) else { return nil }
        return try number(key, value, min: min, max: max)
    }

    private func number(_ key: String, _ value: JSONValue, min: Double?, max: Double?) throws(AgentProtocolError) -> Double {
        guard case .number(let number) = value else { throw wrongType(key, "a number", value) }
        let double = number.double
        guard double.isFinite else {
            throw .outOfRange(type: type, field: key, value: String(double), expected: "a finite number")
        }
        if let min, double < min {
            throw .outOfRange(type: type, field: key, value: String(double), expected: "a number ≥ \(min)")
        }
        if let max, double > max {
            throw .outOfRange(type: type, field: key, value: String(double), expected: "a number ≤ \(max)")
        }
        return double
    }

    // MARK: other kinds

    func bool(_ key: String) throws(AgentProtocolError) -> Bool {
        let value = try required(key)
        guard case .bool(let flag) = value else { throw wrongType(key, "a boolean", value) }
        return flag
    }

    /// A string field that must have exactly this value (a `const` in the schema).
    func constant(_ key: String, _ expected: String) throws(AgentProtocolError) -> String {
        let value = try string(key, allowEmpty: true)
        guard value == expected else {
            throw .outOfRange(type: type, field: key, value: "\"\(value)\"", expected: "\"\(expected)\"")
        }
        return value
    }

    func string(_ key: String, allowEmpty: Bool = false) throws(AgentProtocolError) -> String {
        try text(key, try required(key), allowEmpty: allowEmpty)
    }

    func optionalString(_ key: String, allowEmpty: Bool = false) throws(AgentProtocolError) -> String? {
        guard let value = try present(key) else { return nil }
        return try text(key, value, allowEmpty: allowEmpty)
    }

    private func text(_ key: String, _ value: JSONValue, allowEmpty: Bool) throws(AgentProtocolError) -> String {
        guard case .string(let string) = value else { throw wrongType(key, "a string", value) }
        if !allowEmpty, string.isEmpty {
            throw .outOfRange(type: type, field: key, value: "\"\"", expected: "a non-empty string")
        }
        return string
    }

    func stringArray(_ key: String) throws(AgentProtocolError) -> [String] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw wrongType(key, "an array of strings", value) }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let string) = element else {
                throw .wrongFieldType(type: type, field: key, expected: "an array of strings",
                                      found: "an array containing \(element.kindDescription)")
            }
            strings.append(string)
        }
        return strings
    }

    /// An object field that only some agents send: nil when absent (null is an error, as the schema has it), else its
    /// fields (`type` names the path, `step.goal`).
    func optionalObject(_ key: String) throws(AgentProtocolError) -> MessageFields? {
        guard let value = object[key] else { return nil }
        guard case .object(let fields) = value else { throw wrongType(key, "an object", value) }
        return MessageFields(type: type + "." + key, object: fields, rejectsUnknownFields: rejectsUnknownFields)
    }

    /// An array of objects that only some agents send: nil when absent, else each element's fields (`type` names the
    /// path, `episode_end.unanswered_presses`).
    func optionalObjectArray(_ key: String) throws(AgentProtocolError) -> [MessageFields]? {
        guard let value = object[key] else { return nil }
        guard case .array(let elements) = value else { throw wrongType(key, "an array of objects", value) }
        var out: [MessageFields] = []
        for element in elements {
            guard case .object(let fields) = element else {
                throw .wrongFieldType(type: type, field: key, expected: "an array of objects", found: "an array containing \(element.kindDescription)")
            }
            out.append(MessageFields(type: type + "." + key, object: fields, rejectsUnknownFields: rejectsUnknownFields))
        }
        return out
    }

    /// A string field that must be one of an enum's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, as: Choice.Type) throws(AgentProtocolError) -> Choice
    where Choice.RawValue == String {
        let raw = try string(key, allowEmpty: true)
        return try matching(key, raw, as: Choice.self)
    }

    /// A nullable string field that must be null or one of an enum's raw values.
    func optionalChoice<Choice: RawRepresentable & CaseIterable>(_ key: String, as: Choice.Type) throws(AgentProtocolError) -> Choice?
    where Choice.RawValue == String {
        guard let raw = try optionalString(key, allowEmpty: true) else { return nil }
        return try matching(key, raw, as: Choice.self)
    }

    private func matching<Choice: RawRepresentable & CaseIterable>(_ key: String, _ raw: String, as: Choice.Type)
    throws(AgentProtocolError) -> Choice where Choice.RawValue == String {
        guard let choice = Choice(rawValue: raw) else {
            let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .outOfRange(type: type, field: key, value: "\"\(raw)\"", expected: "one of \(allowed)")
        }
        return choice
    }
}
