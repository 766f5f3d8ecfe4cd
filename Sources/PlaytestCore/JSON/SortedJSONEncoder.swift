import Foundation

/// Writes the JSON that `PlaytestJSON.encoder()` writes (keys sorted by their UTF-8 bytes, slashes unescaped, dates as
/// `JSONTimestamp`), byte for byte, at a fraction of its cost: Foundation's encoder keeps every object as a dictionary
/// of boxed values before it sorts and writes them, which made JSON encoding 40 % of the bugs list's CPU time (a page of
/// 50 findings, 30 kB). Here numbers become text as they are encoded, strings are escaped straight into the output,
/// and an object is a list of keyed values sorted once when written (not at all when already in order).
public struct SortedJSONEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try JSONNode.of(value, path: []).write(to: &out)
        return out
    }
}

/// One encoded value: a scalar already written as JSON text, a string escaped when written, or an object or array still
/// being filled.
enum JSONNode {
    case text(String)
    case string(String)
    case object(JSONObjectBox)
    case array(JSONArrayBox)

    static var null: JSONNode { .text("null") }

    /// `path` is only built for a value that encodes itself (or a number that fails): most values are scalars.
    static func of<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws -> JSONNode {
        // The commonest values first, told by their type alone: a comparison of metadata, where the casts below each
        // cost a runtime cast (an optional one is unwrapped first). A page of the bug list holds 500 optionals.
        if T.self == String?.self { return unsafeBitCast(value, to: String?.self).map(JSONNode.string) ?? .null }
        if T.self == Int?.self { return unsafeBitCast(value, to: Int?.self).map { .text(String($0)) } ?? .null }
        if T.self == Double?.self {
            guard let number = unsafeBitCast(value, to: Double?.self) else { return .null }
            return try Self.number(number, path: path())
        }
        if T.self == Bool?.self { return unsafeBitCast(value, to: Bool?.self).map { .text($0 ? "true" : "false") } ?? .null }
        if T.self == Date?.self { return unsafeBitCast(value, to: Date?.self).map { .string(JSONTimestamp.format($0)) } ?? .null }
        switch value {
        case let string as String: return .string(string)
        case let date as Date: return .string(JSONTimestamp.format(date))
        case let url as URL: return .string(url.absoluteString)
        case let data as Data: return .string(data.base64EncodedString())
        case let decimal as Decimal: return .text(decimal.description)
        default:
            let encoder = JSONNodeEncoder(path: path())
            try value.encode(to: encoder)
            return encoder.node ?? .object(JSONObjectBox())
        }
    }

    static func number(_ value: some BinaryFloatingPoint & LosslessStringConvertible, path: [any CodingKey]) throws -> JSONNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) is not a valid JSON number"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .text(text)
    }

    /// Runs of bytes that need no escape (nearly all of them) are copied at once.
    static func write(quoted string: String, to out: inout [UInt8]) {
        out.append(0x22)
        var string = string
        string.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                out.append(0x5C)
                switch byte {
                case 0x22, 0x5C: out.append(byte)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                default: out.append(contentsOf: [0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(0x22)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    func write(to out: inout [UInt8]) {
        switch self {
        case .text(let text):
            out.append(contentsOf: text.utf8)
        case .array(let box):
            out.append(0x5B)
            for (index, item) in box.items.enumerated() {
                if index > 0 { out.append(0x2C) }
                item.write(to: &out)
            }
            out.append(0x5D)
        case .string(let string):
            Self.write(quoted: string, to: &out)
        case .object(let box):
            out.append(0x7B)
            var entries = box.entries
            if zip(entries, entries.dropFirst()).contains(where: { !$0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                // Sorted by the keys' bytes; of two entries under one key the later one counts, as in a dictionary.
                entries = entries.enumerated().sorted {
                    $0.element.key == $1.element.key ? $0.offset < $1.offset : $0.element.key.utf8.lexicographicallyPrecedes($1.element.key.utf8)
                }.map(\.element)
            }
            var first = true
            for (index, entry) in entries.enumerated() {
                if index + 1 < entries.count, entries[index + 1].key == entry.key { continue }
                if !first { out.append(0x2C) }
                first = false
                Self.write(quoted: entry.key, to: &out)
                out.append(0x3A)
                entry.value.write(to: &out)
            }
            out.append(0x7D)
        }
    }
}

final class JSONObjectBox {
    var entries: [(key: String, value: JSONNode)] = []
}

final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// The `Encoder` a value's `encode(to:)` writes into; what it wrote is `node`.
final class JSONNodeEncoder: Encoder, SingleValueEncodingContainer {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONNode?

    init(path: [any CodingKey], object: JSONObjectBox? = nil) {
        codingPath = path
        node = object.map(JSONNode.object)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box) = node { return KeyedEncodingContainer(JSONKeyedContainer(box: box, path: codingPath)) }
        let box = JSONObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(JSONKeyedContainer(box: box, path: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let box) = node { return JSONUnkeyedContainer(box: box, path: codingPath) }
        let box = JSONArrayBox()
        node = .array(box)
        return JSONUnkeyedContainer(box: box, path: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws { node = .null }
    func encode(_ value: Bool) throws { node = .text(value ? "true" : "false") }
    func encode(_ value: String) throws { node = .string(value) }
    func encode(_ value: Double) throws { node = try JSONNode.number(value, path: codingPath) }
    func encode(_ value: Float) throws { node = try JSONNode.number(value, path: codingPath) }
    func encode(_ value: Int) throws { node = .text(String(value)) }
    func encode(_ value: Int8) throws { node = .text(String(value)) }
    func encode(_ value: Int16) throws { node = .text(String(value)) }
    func encode(_ value: Int32) throws { node = .text(String(value)) }
    func encode(_ value: Int64) throws { node = .text(String(value)) }
    func encode(_ value: UInt) throws { node = .text(String(value)) }
    func encode(_ value: UInt8) throws { node = .text(String(value)) }
    func encode(_ value: UInt16) throws { node = .text(String(value)) }
    func encode(_ value: UInt32) throws { node = .text(String(value)) }
    func encode(_ value: UInt64) throws { node = .text(String(value)) }
    func encode(_ value: some Encodable) throws { node = try JSONNode.of(value, path: codingPath) }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }

    init(box: JSONObjectBox, path: [any CodingKey]) {
        self.box = box
        self.path = path
    }

    private func put(_ node: JSONNode, _ key: Key) { box.entries.append((key.stringValue, node)) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.text(value ? "true" : "false"), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try JSONNode.number(value, path: path + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try JSONNode.number(value, path: path + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.text(String(value)), key) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws { put(try JSONNode.of(value, path: path + [key]), key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        put(.object(nested), key)
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, path: path + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        put(.array(nested), key)
        return JSONUnkeyedContainer(box: nested, path: path + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(key: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key.stringValue) }

    /// A super encoder writes an object (no type of the platform uses one).
    private func superEncoder(key: String) -> any Encoder {
        let nested = JSONObjectBox()
        box.entries.append((key, .object(nested)))
        return JSONNodeEncoder(path: path + [JSONIndexKey(stringValue: key)], object: nested)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }
    var count: Int { box.items.count }

    private var key: any CodingKey { JSONIndexKey(index: box.items.count) }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.text(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(try JSONNode.number(value, path: path + [key])) }
    mutating func encode(_ value: Float) throws { box.items.append(try JSONNode.number(value, path: path + [key])) }
    mutating func encode(_ value: Int) throws { box.items.append(.text(String(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.text(String(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.text(String(value))) }
    mutating func encode(_ value: some Encodable) throws { box.items.append(try JSONNode.of(value, path: path + [key])) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        let nestedPath = path + [key]
        box.items.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, path: nestedPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let nestedPath = path + [key]
        box.items.append(.array(nested))
        return JSONUnkeyedContainer(box: nested, path: nestedPath)
    }

    /// A super encoder writes an object (no type of the platform uses one).
    mutating func superEncoder() -> any Encoder {
        let nested = JSONObjectBox()
        let nestedPath = path + [key]
        box.items.append(.object(nested))
        return JSONNodeEncoder(path: nestedPath, object: nested)
    }
}

struct JSONIndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) { self.init(index: intValue) }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
}
