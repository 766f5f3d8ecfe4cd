import Foundation
import Testing
@testable import PlaytestCore

/// The agent config defined once per language: `AgentRunConfig` and `DQNParameter.all` here, the dataclasses in
/// agent/playtest_agent (config.py, dqn.py) there, both against `$defs.run_config*` of protocol.schema.json (generated
/// from the dataclasses; agent/tests/test_config_schema.py checks it is current). A field on one side only fails here.
@Suite("Agent config schema", .enabled(if: AgentProtocolSchema.data != nil, "agent/playtest_agent/protocol.schema.json is absent"))
struct AgentConfigSchemaTests {
    func properties(_ definition: String) throws -> [String: [String: Any]] {
        let schema = try #require(try AgentProtocolSchema.allDefinitions()[definition], "the schema has no \(definition)")
        return try #require(schema["properties"] as? [String: [String: Any]])
    }

    /// The JSON types a schema property allows (`"integer"`, `"null"`, …).
    func types(_ property: [String: Any]) -> Set<String> {
        if let type = property["type"] as? String { return [type] }
        if let types = property["type"] as? [String] { return Set(types) }
        if property["$ref"] != nil { return ["object"] }
        return []
    }

    @Test func theConfigHasExactlyTheSchemasKeys() throws {
        #expect(Set(AgentRunConfig.CodingKeys.allCases.map(\.stringValue)) == Set(try properties("run_config").keys))
        #expect(Set(AgentRunConfig.Env.CodingKeys.allCases.map(\.stringValue)) == Set(try properties("run_config_env").keys))
    }

    @Test func everyDQNParameterIsTheAgentsWithTheSameType() throws {
        let schema = try properties("run_config_dqn")
        #expect(Set(DQNParameter.all.map(\.name)) == Set(schema.keys))
        let expected: [DQNParameter.ValueType: String] = [
            .integer: "integer", .number: "number", .boolean: "boolean", .string: "string", .integers: "array", .strings: "array",
        ]
        for parameter in DQNParameter.all {
            let property = try #require(schema[parameter.name])
            #expect(types(property) == [try #require(expected[parameter.type])], "\(parameter.name)")
            if parameter.type == .integers || parameter.type == .strings {
                let items = try #require(property["items"] as? [String: Any])
                #expect(items["type"] as? String == (parameter.type == .integers ? "integer" : "string"), "\(parameter.name)")
            }
        }
    }

    /// Every field set, encoded as the worker writes run.json: each value has a type the schema allows.
    @Test func everyFieldEncodesToTheSchemasType() throws {
        var config = AgentRunConfig()
        config.agent = "dqn"
        config.wad = "/tmp/doom2.wad"
        config.pwads = ["/tmp/map.wad"]
        config.map = "MAP01"
        config.scenarioCfg = "defend_the_center"
        config.checkpoint = "/tmp/c.pt"
        config.episodes = 2
        config.iterations = 100
        config.seed = 7
        config.telemetryEvery = 1
        config.checkpointDir = "/tmp/ck"
        config.screenshotDir = "/tmp/shots"
        config.demoDir = "/tmp/demos"
        config.recordDemos = true
        config.screenshotTics = [35]
        config.screenshotOn = ["death"]
        config.stuckTics = 350
        config.checkpointEvery = 50
        config.progressEvery = 10
        config.resumeFrom = "/tmp/r.pt"
        config.torchThreads = 1
        config.dqn = ["gamma": .double(0.9), "recurrent": .bool(true)]
        config.trainMaps = [["map": "MAP02"]]
        config.navigation = .object(["map": .string("MAP01")])
        var env = AgentRunConfig.Env()
        env.resolution = "160x120"
        env.screenFormat = "GRAY8"
        env.frameSkip = 4
        env.episodeTimeout = 350
        env.skill = 3
        env.actionCombinations = "turn_lr;attack"
        env.depth = true
        env.labels = true
        env.automap = false
        env.objectsInfo = false
        env.renderHud = false
        env.watchdogS = 30
        env.godMode = true
        config.env = env
        guard case .object(let object) = try JSONParser().parse([UInt8](try PlaytestJSON.data(config))),
              case .object(let envObject)? = object["env"] else {
            Issue.record("the config did not encode as an object with an env object")
            return
        }
        try expectTypes(object, against: try properties("run_config"), path: "")
        try expectTypes(envObject, against: try properties("run_config_env"), path: "env.")
        #expect(Set(object.keys) == Set(AgentRunConfig.CodingKeys.allCases.map(\.stringValue)), "every field was set")
    }

    func expectTypes(_ object: [String: JSONValue], against schema: [String: [String: Any]], path: String) throws {
        for (key, value) in object {
            let allowed = types(try #require(schema[key], "\(path)\(key) is not in the schema"))
            let kind = Self.kind(of: value)
            #expect(allowed.contains(kind) || (kind == "integer" && allowed.contains("number")), "\(path)\(key): \(kind) is not \(allowed.sorted())")
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.integer != nil ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
