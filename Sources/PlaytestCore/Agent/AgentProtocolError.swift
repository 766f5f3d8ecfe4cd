/// Why one line from an agent's stdout is not a valid protocol message.
///
/// Every case names what was wrong and where, so the message can go straight into a run's failure reason.
public enum AgentProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line is empty or only whitespace.
    case emptyLine
    /// The line is longer than the decoder accepts.
    case lineTooLong(length: Int, limit: Int)
    /// The line ends in the middle of a JSON value (a cut-off write, e.g. the agent died mid-line).
    case truncatedJSON(offset: Int)
    /// The line is not JSON.
    case invalidJSON(offset: Int, reason: String)
    /// The JSON is valid but is not an object (e.g. an array or a bare number).
    case notAnObject(found: String)
    /// The object has no `v` field.
    case missingVersion
    /// `v` is not the protocol version this decoder speaks.
    case unsupportedVersion(found: String)
    /// The object has no `type` field, or it is not a string.
    case missingType
    /// `type` names no message of this protocol version.
    case unknownType(String)
    /// A field the message type requires is absent.
    case missingField(type: String, field: String)
    /// The message has a field its type does not define.
    case unknownField(type: String, field: String)
    /// A field has the wrong JSON type.
    case wrongFieldType(type: String, field: String, expected: String, found: String)
    /// A field has the right type but an impossible value (a negative tic, an unknown reason, ...).
    case outOfRange(type: String, field: String, value: String, expected: String)

    /// A stable identifier for the kind of failure, for logs and stored error codes.
    public var code: String {
        switch self {
        case .emptyLine: return "empty_line"
        case .lineTooLong: return "line_too_long"
        case .truncatedJSON: return "truncated_json"
        case .invalidJSON: return "invalid_json"
        case .notAnObject: return "not_an_object"
        case .missingVersion: return "missing_version"
        case .unsupportedVersion: return "unsupported_version"
        case .missingType: return "missing_type"
        case .unknownType: return "unknown_type"
        case .missingField: return "missing_field"
        case .unknownField: return "unknown_field"
        case .wrongFieldType: return "wrong_field_type"
        case .outOfRange: return "out_of_range"
        }
    }

    /// What went wrong, in words a user can act on.
    public var message: String {
        switch self {
        case .emptyLine:
            return "the agent wrote an empty line; every stdout line must be one JSON protocol message (logs go to stderr)"
        case .lineTooLong(let length, let limit):
            return "the agent wrote a line of \(length) bytes, over the limit of \(limit); a protocol message must fit on one short line"
        case .truncatedJSON(let offset):
            return "the agent's line ends after \(offset) bytes in the middle of a JSON value; it was cut off (did the agent crash while writing?)"
        case .invalidJSON(let offset, let reason):
            return "the agent's line is not valid JSON at byte \(offset): \(reason); is something other than the protocol printing to stdout?"
        case .notAnObject(let found):
            return "the agent's line is \(found), not a JSON object; every protocol message is an object with \"v\" and \"type\""
        case .missingVersion:
            return "the agent's message has no \"v\" field; protocol messages carry \"v\": \(AgentProtocol.version)"
        case .unsupportedVersion(let found):
            return "the agent speaks protocol version \(found) but this Playtest understands only version \(AgentProtocol.version); install a matching agent runtime"
        case .missingType:
            return "the agent's message has no string \"type\" field"
        case .unknownType(let type):
            let known = AgentMessageType.allCases.map(\.rawValue).joined(separator: ", ")
            return "the agent sent an unknown message type \"\(type)\"; protocol version \(AgentProtocol.version) has \(known)"
        case .missingField(let type, let field):
            return "the agent's \"\(type)\" message lacks the required field \"\(field)\""
        case .unknownField(let type, let field):
            return "the agent's \"\(type)\" message has a field \"\(field)\" that protocol version \(AgentProtocol.version) does not define; update Playtest or the agent runtime so they match"
        case .wrongFieldType(let type, let field, let expected, let found):
            return "the agent's \"\(type)\" message has \"\(field)\" as \(found); expected \(expected)"
        case .outOfRange(let type, let field, let value, let expected):
            return "the agent's \"\(type)\" message has \"\(field)\" = \(value); expected \(expected)"
        }
    }

    public var description: String { message }
}
