import Foundation
import PlaytestCore

/// Typed reads of a request's JSON object (its `params`), each failing with a message that names the field.
struct RequestFields {
    let values: [String: JSONValue]
    /// "params." for nested objects, so messages name the full path.
    let prefix: String

    init(_ values: [String: JSONValue], prefix: String = "") {
        self.values = values
        self.prefix = prefix
    }

    func rejectUnknown(allowed: Set<String>) throws(RunRequestError) {
        let unknown = values.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let names = unknown.map { prefix + $0 }.joined(separator: ", ")
            let known = allowed.sorted().map { prefix + $0 }.joined(separator: ", ")
            throw RunRequestError(.invalid, code: "unknown_field", "unknown field(s) \(names); allowed: \(known)")
        }
    }

    func has(_ key: String) -> Bool {
        if case .some(.null) = values[key] { return false }
        return values[key] != nil
    }

    func string(_ key: String) throws(RunRequestError) -> String? {
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(.string(let text)): return text
        case .some(let other): throw wrongType(key, "a string", other)
        }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(RunRequestError) -> Int? {
        let value: Int
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(let other):
            guard let number = other.intValue else { throw wrongType(key, "an integer", other) }
            value = number
        }
        guard range.contains(value) else {
            throw RunRequestError.invalid("\(prefix + key) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(RunRequestError) -> Double? {
        let value: Double
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(.number(let number)): value = number.double
        case .some(let other): throw wrongType(key, "a number", other)
        }
        guard value.isFinite, range.contains(value) else {
            throw RunRequestError.invalid("\(prefix + key) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    func bool(_ key: String) throws(RunRequestError) -> Bool? {
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(.bool(let flag)): return flag
        case .some(let other): throw wrongType(key, "true or false", other)
        }
    }

    func ints(_ key: String, in range: ClosedRange<Int>, maxCount: Int) throws(RunRequestError) -> [Int]? {
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(.array(let items)):
            guard items.count <= maxCount else { throw RunRequestError.invalid("\(prefix + key) may list at most \(maxCount) values") }
            var result: [Int] = []
            for item in items {
                guard let number = item.intValue, range.contains(number) else {
                    throw RunRequestError.invalid("\(prefix + key) must list integers in \(range.lowerBound)...\(range.upperBound)")
                }
                result.append(number)
            }
            return result
        case .some(let other): throw wrongType(key, "an array of integers", other)
        }
    }

    func object(_ key: String) throws(RunRequestError) -> [String: JSONValue]? {
        switch values[key] {
        case .none, .some(.null): return nil
        case .some(.object(let object)): return object
        case .some(let other): throw wrongType(key, "an object", other)
        }
    }

    private func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> RunRequestError {
        RunRequestError.invalid("\(prefix + key) must be \(expected), got \(got.kindDescription)")
    }
}
