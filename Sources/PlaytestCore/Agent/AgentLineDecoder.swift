/// Turns one line of an agent's stdout into an ``AgentMessage``, or says exactly why it cannot.
///
/// The decoder is total: any bytes at all give either a message or an ``AgentProtocolError``, never a crash.
/// It checks the envelope (`"v"` is 1, `"type"` is known), then every field the message type defines: presence,
/// JSON type, and range (counts and tics are ≥ 0, numbers are finite, enumerations have known values). A field the
/// protocol does not define is an error too (the schema's `additionalProperties: false`), unless
/// `rejectsUnknownFields` is off.
public struct AgentLineDecoder: Sendable {
    /// Lines longer than this are refused without parsing (a `step` line is about 300 bytes).
    public static let defaultMaxLineLength = 1 << 20

    public var maxLineLength: Int
    /// Whether a field the protocol does not define fails the line (true, the strict reading of the schema) or is
    /// ignored (false, for reading output of a newer agent runtime of the same protocol version).
    public var rejectsUnknownFields: Bool
    private let parser = JSONParser()

    public init(maxLineLength: Int = AgentLineDecoder.defaultMaxLineLength, rejectsUnknownFields: Bool = true) {
        self.maxLineLength = maxLineLength
        self.rejectsUnknownFields = rejectsUnknownFields
    }

    public func decode(_ line: String) throws(AgentProtocolError) -> AgentMessage {
        let bytes: [UInt8] = Array(line.utf8)
        return try decode(bytes)
    }

    /// Decodes one line held in any byte collection (e.g. a slice of a read buffer).
    public func decode(_ line: some Collection<UInt8>) throws(AgentProtocolError) -> AgentMessage {
        guard line.count <= maxLineLength else { throw .lineTooLong(length: line.count, limit: maxLineLength) }
        return try decode(Array(line))
    }

    /// Decodes one line; a trailing `\n` or `\r\n` is allowed.
    public func decode(_ line: [UInt8]) throws(AgentProtocolError) -> AgentMessage {
        guard line.count <= maxLineLength else { throw .lineTooLong(length: line.count, limit: maxLineLength) }
        guard line.contains(where: { !Self.isWhitespace($0) }) else { throw .emptyLine }
        let value: JSONValue
        do {
            value = try parser.parse(line)
        } catch {
            switch error {
            case .truncated(let offset): throw .truncatedJSON(offset: offset)
            case .invalid(let offset, let reason): throw .invalidJSON(offset: offset, reason: reason)
            case .tooDeep(let limit): throw .invalidJSON(offset: 0, reason: "values are nested more than \(limit) deep")
            }
        }
        guard case .object(let object) = value else { throw .notAnObject(found: value.kindDescription) }
        return try decode(object: object)
    }

    /// Decodes a message that is already parsed.
    public func decode(object: [String: JSONValue]) throws(AgentProtocolError) -> AgentMessage {
        switch object["v"] {
        case .none:
            throw .missingVersion
        case .some(.number(let number)) where number.integer == AgentProtocol.version:
            break
        case .some(.number(let number)):
            throw .unsupportedVersion(found: number.integer.map(String.init) ?? String(number.double))
        case .some(let other):
            throw .unsupportedVersion(found: other.kindDescription)
        }
        guard case .string(let typeName) = object["type"] else { throw .missingType }
        guard let type = AgentMessageType(rawValue: typeName) else { throw .unknownType(typeName) }
        let fields = MessageFields(type: typeName, object: object, rejectsUnknownFields: rejectsUnknownFields)
        switch type {
        case .hello: return .hello(try HelloMessage(fields: fields))
        case .episodeStart: return .episodeStart(try EpisodeStartMessage(fields: fields))
        case .step: return .step(try StepSample(fields: fields))
        case .episodeEnd: return .episodeEnd(try EpisodeEndMessage(fields: fields))
        case .trainProgress: return .trainProgress(try TrainProgressMessage(fields: fields))
        case .checkpoint: return .checkpoint(try CheckpointMessage(fields: fields))
        case .artifact: return .artifact(try ArtifactMessage(fields: fields))
        case .error: return .error(try AgentErrorMessage(fields: fields))
        case .done: return .done(try DoneMessage(fields: fields))
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
