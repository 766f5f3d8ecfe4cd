import Foundation
import PlaytestTestSupport
import Testing
@testable import PlaytestCore

/// The Swift message types against the agent runtime's JSON schema (agent/playtest_agent/protocol.schema.json), so a
/// change on either side that the other did not follow fails here: the fields of every message type, which are
/// nullable, and the values of every enumeration.
/// The schema file's bytes, nil when it is absent.
enum AgentProtocolSchema {
    static let data: Data? = {
        guard let transcripts = AgentTranscripts.directory else { return nil }
        let url = transcripts.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("playtest_agent/protocol.schema.json")
        return try? Data(contentsOf: url)
    }()

    /// The schema's `$defs` of messages: one definition per message type (the `run_config` ones describe the config).
    static func definitions() throws -> [String: [String: Any]] {
        try allDefinitions().filter { !$0.key.hasPrefix("run_config") }
    }

    static func allDefinitions() throws -> [String: [String: Any]] {
        let data = try #require(data)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["$defs"] as? [String: [String: Any]])
    }
}

@Suite("Agent protocol schema", .enabled(if: AgentProtocolSchema.data != nil, "agent/playtest_agent/protocol.schema.json is absent"))
struct AgentProtocolSchemaTests {
    /// Fields the decoder accepts as null although the schema types them as plain numbers: the runtime's emitter
    /// writes a non-finite float as null (protocol.py), and failing a whole run over one NaN reward would be worse.
    static let toleratedNulls: Set<String> = ["step.reward", "episode_end.total_reward"]

    static let fieldNames: [AgentMessageType: Set<String>] = [
        .hello: HelloMessage.fieldNames, .episodeStart: EpisodeStartMessage.fieldNames, .step: StepSample.fieldNames,
        .episodeEnd: EpisodeEndMessage.fieldNames, .trainProgress: TrainProgressMessage.fieldNames,
        .checkpoint: CheckpointMessage.fieldNames, .artifact: ArtifactMessage.fieldNames,
        .error: AgentErrorMessage.fieldNames, .done: DoneMessage.fieldNames,
    ]

    func definition(_ type: AgentMessageType) throws -> (properties: [String: [String: Any]], required: Set<String>) {
        let definition = try #require(try AgentProtocolSchema.definitions()[type.rawValue], "the schema has no \(type.rawValue)")
        let properties = try #require(definition["properties"] as? [String: [String: Any]])
        let required = Set(try #require(definition["required"] as? [String]))
        return (properties, required)
    }

    @Test func theSchemaHasExactlyOurMessageTypes() throws {
        let schema = try AgentProtocolSchema.definitions()
        #expect(Set(schema.keys) == Set(AgentMessageType.allCases.map(\.rawValue)))
    }

    @Test(arguments: AgentMessageType.allCases)
    func everyMessageTypeHasTheSchemasFieldsAllRequired(type: AgentMessageType) throws {
        let (properties, required) = try definition(type)
        let schemaFields = Set(properties.keys).subtracting(["v", "type"])
        #expect(Self.fieldNames[type] == schemaFields, "\(type.rawValue)")
        #expect(required == Set(properties.keys).subtracting(Self.absentable[type] ?? []),
                "\(type.rawValue): the decoder requires every field but the navigator's")
    }

    /// Fields only some agents send (the navigator's goal, the replay check of an exit demo): they may be absent.
    static let absentable: [AgentMessageType: Set<String>] = [.step: ["goal", "confidence", "keys"], .episodeEnd: ["goal", "unanswered_presses"], .artifact: ["replay"]]

    /// A documented line of each type, as a mutable object.
    func sample(_ type: AgentMessageType) throws -> [String: Any] {
        let line = try #require(AgentLineDecoderTests.documentedLines.first { $0.contains("\"type\":\"\(type.rawValue)\"") })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    func decodes(_ object: [String: Any]) throws -> Result<AgentMessage, AgentProtocolError> {
        let data = try JSONSerialization.data(withJSONObject: object)
        do {
            return .success(try AgentLineDecoder().decode([UInt8](data)))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: AgentMessageType.allCases)
    func nullIsAcceptedExactlyWhereTheSchemaAllowsIt(type: AgentMessageType) throws {
        let (properties, _) = try definition(type)
        let base = try sample(type)
        for (field, property) in properties where field != "v" && field != "type" {
            let types = property["type"] as? [String] ?? []
            let enumeration = property["enum"] as? [Any] ?? []
            let nullable = types.contains("null") || enumeration.contains { $0 is NSNull }
                || Self.toleratedNulls.contains("\(type.rawValue).\(field)")
            var object = base
            object[field] = NSNull()
            switch try decodes(object) {
            case .success: #expect(nullable, "\(type.rawValue).\(field) = null was accepted")
            case .failure(let error): #expect(!nullable, "\(type.rawValue).\(field) = null was rejected: \(error)")
            }
            object.removeValue(forKey: field)
            if Self.absentable[type]?.contains(field) == true {
                #expect((try? decodes(object).get()) != nil, "\(type.rawValue).\(field) may be absent")
            } else {
                #expect(try decodes(object) == .failure(.missingField(type: type.rawValue, field: field)))
            }
        }
    }

    @Test func enumerationsHaveTheSchemasValues() throws {
        func values(_ type: AgentMessageType, _ field: String) throws -> Set<String> {
            let property = try #require(try definition(type).properties[field])
            return Set((property["enum"] as? [Any] ?? []).compactMap { $0 as? String })
        }
        func raw<E: CaseIterable & RawRepresentable>(_: E.Type) -> Set<String> where E.RawValue == String {
            Set(E.allCases.map(\.rawValue))
        }
        #expect(try values(.hello, "command") == raw(AgentCommand.self))
        #expect(try values(.hello, "agent") == raw(AgentName.self))
        #expect(try values(.episodeEnd, "reason") == raw(EpisodeEndReason.self))
        #expect(try values(.artifact, "kind") == raw(ArtifactKind.self))
        #expect(try values(.artifact, "reason") == raw(ArtifactReason.self))
        #expect(try values(.error, "code") == raw(AgentErrorCode.self))
        #expect(try values(.done, "reason") == raw(DoneReason.self))
    }
}
