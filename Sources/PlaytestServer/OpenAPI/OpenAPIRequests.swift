import PlaytestCore
import PlaytestServices

/// The request bodies of the API document, from the launcher's own lists of params and the DQN parameter table.
enum OpenAPIRequests {
    typealias S = Schema

    static var testStart: JSONValue {
        closed([
            "map_id": S.string, "map": S.string, "agent": S.string(RunLauncher.agents), "checkpoint": S.string,
            "episodes": S.integer(minimum: 1, maximum: RunLauncher.maxEpisodes), "action_combinations": S.string,
            "params": closed(params(RunParams.testing), required: []),
        ], required: ["map_id"])
    }

    static var trainingStart: JSONValue {
        closed([
            "map_id": S.string, "map": S.string, "max_iterations": S.integer(minimum: 1, maximum: RunLauncher.maxIterations),
            "action_combinations": S.string, "resume_from": S.string,
            "params": closed(params(RunParams.training), required: []),
        ], required: ["map_id", "max_iterations"])
    }

    /// `{"<kind>_id": …}` or nothing: which run to stop (every active one when absent).
    static func stop(_ kind: RunKind) -> JSONValue {
        closed([kind.idKey: S.nullable(S.string)], required: [])
    }

    /// The schema of each of these params.
    static func params(_ names: Set<String>) -> [String: JSONValue] {
        var schemas: [String: JSONValue] = [:]
        for name in names {
            if let range = RunParams.integerRanges[name] {
                schemas[name] = S.integer(minimum: range.lowerBound, maximum: range.upperBound)
            } else if let parameter = DQNParameter.requestable[name], let accepts = parameter.request?.accepts {
                schemas[name] = schema(accepts)
            }
        }
        schemas["scenario"] = names.contains("scenario") ? S.string : nil
        schemas["resolution"] = names.contains("resolution") ? S.string(RunParams.resolutions.sorted()) : nil
        for flag in ["visualize", "record_demos", "evidence", "god_mode"] where names.contains(flag) { schemas[flag] = S.boolean }
        if names.contains("screenshot_tics") {
            let tics = RunParams.screenshotTics
            schemas["screenshot_tics"] = [
                "type": "array", "items": S.integer(minimum: tics.range.lowerBound, maximum: tics.range.upperBound),
                "maxItems": .int(tics.maxCount),
            ]
        }
        return schemas
    }

    static func schema(_ accepts: DQNParameter.Accepts) -> JSONValue {
        switch accepts {
        case .integer(let range): S.integer(minimum: range.lowerBound, maximum: range.upperBound)
        case .number(let range): S.number(minimum: range.lowerBound, maximum: range.upperBound)
        case .boolean: S.boolean
        case .choice(let values): S.string(values.keys.sorted())
        }
    }

    /// An object that takes only these properties (the API refuses unknown fields with 422 `unknown_field`).
    static func closed(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        return .object(schema)
    }
}
