/// Typed access to the fields of one message object, throwing ``AgentProtocolError`` with the message type and
/// field name on anything missing, mistyped or out of range.
///
/// "Optional" fields may be `null` or absent; required fields must be present and non-null. Fields the decoder
/// does not know are ignored, so a newer agent may add fields without breaking an older Playtest.
struct MessageFields {
    let type: String
    let object: [String: JSONValue]

    private func present(_ key: String) -> JSONValue? {
        switch object[key] {
        case .none, .some(.null): return nil
        case .some(let value): return value
        }
    }

    private func required(_ key: String) throws(AgentProtocolError) -> JSONValue {
        guard let value = present(key) else {
            if object[key] == .null {
                throw .wrongFieldType(type: type, field: key, expected: "a value", found: "null")
            }
            throw .missingField(type: type, field: key)
        }
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
        guard let value = present(key) else { return nil }
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

    func optionalDouble(_ key: String, min: Double? = nil, max: Double? = nil) throws(AgentProtocolError) -> Double? {
        guard let value = present(key) else { return nil }
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

    func string(_ key: String, allowEmpty: Bool = false) throws(AgentProtocolError) -> String {
        try text(key, try required(key), allowEmpty: allowEmpty)
    }

    func optionalString(_ key: String, allowEmpty: Bool = false) throws(AgentProtocolError) -> String? {
        guard let value = present(key) else { return nil }
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

    /// A string field that must be one of an enum's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, as: Choice.Type) throws(AgentProtocolError) -> Choice
    where Choice.RawValue == String {
        let raw = try string(key, allowEmpty: true)
        guard let choice = Choice(rawValue: raw) else {
            let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .outOfRange(type: type, field: key, value: "\"\(raw)\"", expected: "one of \(allowed)")
        }
        return choice
    }
}
