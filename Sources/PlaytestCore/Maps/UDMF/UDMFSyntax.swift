/// A value on the right of a UDMF assignment.
public enum UDMFValue: Sendable, Hashable {
    case integer(Int)
    case float(Double)
    case string(String)
    /// A bare keyword: `true`, `false`, or any other identifier.
    case keyword(String)

    /// The value as a number, if it is one.
    public var number: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .float(value): return value
        case .string, .keyword: return nil
        }
    }

    /// The value as an integer, if it is an integer or an integral float in range.
    public var integer: Int? {
        switch self {
        case let .integer(value): return value
        case let .float(value): return value.isFinite && value.rounded() == value ? Int(exactly: value) : nil
        case .string, .keyword: return nil
        }
    }

    public var bool: Bool? {
        switch self {
        case let .keyword(word):
            switch word.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    public var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }
}

/// A UDMF block such as `linedef { v1 = 0; ... }`, with its keys lowercased.
public struct UDMFBlock: Sendable {
    public let type: String
    public var fields: [String: UDMFValue]
    /// Byte offset of the block's name inside the TEXTMAP lump, and its 1-based line.
    public let offset: Int
    public let line: Int
}

/// A parsed TEXTMAP: the global assignments (such as `namespace`) and the blocks in order.
public struct UDMFDocument: Sendable {
    public var globals: [String: UDMFValue]
    public var blocks: [UDMFBlock]
}

/// A grammar error with its byte offset inside the lump and its 1-based line.
public struct UDMFSyntaxError: Error, Sendable, Equatable {
    public let offset: Int
    public let line: Int
    public let message: String
}
