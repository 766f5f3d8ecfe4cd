import PlaytestCore
import PlaytestServices
import Vapor

/// `POST /testing/start`: seed 001's fields plus `map` (the map inside the WAD) and `agent`. Validation checks the shape; the launcher
/// checks what depends on the library (the map, the checkpoint, the params).
struct TestStartBody: Content, Validatable {
    var mapID: String
    var map: String?
    var agent: String?
    var checkpoint: String?
    var episodes: Int?
    var actionCombinations: String?
    var params: [String: JSONValue]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case agent, checkpoint, episodes, params
        case mapID = "map_id"
        case map
        case actionCombinations = "action_combinations"
    }

    static func validations(_ validations: inout Validations) {
        validations.add("map_id", as: String.self, is: !.empty)
        validations.add("map", as: String.self, is: !.empty, required: false)
        validations.add("agent", as: String.self, is: .in(RunLauncher.agents), required: false)
        validations.add("checkpoint", as: String.self, is: !.empty, required: false)
        validations.add("episodes", as: Int.self, is: .range(1...RunLauncher.maxEpisodes), required: false)
        validations.add("action_combinations", as: String.self, is: !.empty, required: false)
        validations.add("params", as: [String: JSONValue].self, required: false)
    }

    var request: TestRunRequest {
        TestRunRequest(
            mapID: mapID, map: map, agent: agent, checkpoint: checkpoint, episodes: episodes ?? 1,
            actionCombinations: actionCombinations, params: params ?? [:])
    }
}

/// `POST /training/start`: seed 001's fields plus `map` (the map inside the WAD) and `resume_from`.
struct TrainingStartBody: Content, Validatable {
    var mapID: String
    var map: String?
    var maxIterations: Int
    var actionCombinations: String?
    var params: [String: JSONValue]?
    var resumeFrom: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case params
        case mapID = "map_id"
        case map
        case maxIterations = "max_iterations"
        case actionCombinations = "action_combinations"
        case resumeFrom = "resume_from"
    }

    static func validations(_ validations: inout Validations) {
        validations.add("map_id", as: String.self, is: !.empty)
        validations.add("map", as: String.self, is: !.empty, required: false)
        validations.add("max_iterations", as: Int.self, is: .range(1...RunLauncher.maxIterations))
        validations.add("action_combinations", as: String.self, is: !.empty, required: false)
        validations.add("params", as: [String: JSONValue].self, required: false)
        validations.add("resume_from", as: String.self, is: !.empty, required: false)
    }

    var request: TrainingRunRequest {
        TrainingRunRequest(
            mapID: mapID, map: map, maxIterations: maxIterations, actionCombinations: actionCombinations,
            params: params ?? [:], resumeFrom: resumeFrom)
    }
}

/// `POST /testing/stop` and `/training/stop`: `{"test_id": …}` / `{"training_id": …}`, or nothing for every active
/// run of the kind.
struct StopBody: Content {
    var id: String?

    /// Reads the body of a stop request for runs of `kind`; an empty body stops them all.
    static func decode(_ request: Request, kind: RunKind) throws -> StopBody {
        guard let body = request.body.data, body.readableBytes > 0 else { return StopBody(id: nil) }
        let fields = try RequestBody.object(request, allowed: [kind.idKey])
        switch fields[kind.idKey] {
        case .none, .some(.null): return StopBody(id: nil)
        case .some(.string(let id)): return StopBody(id: id)
        case .some(let other): throw APIError.unprocessable("invalid_request", "\(kind.idKey) must be a string, got \(other.kindDescription)")
        }
    }
}

enum RequestBody {
    /// The request's JSON object, refused with 422 `unknown_field` when it has a key outside `allowed`, so a typo
    /// never silently changes a run.
    static func object(_ request: Request, allowed: Set<String>) throws -> [String: JSONValue] {
        guard request.headers.contentType == .json else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "send a JSON object with Content-Type: application/json")
        }
        let object: [String: JSONValue]
        do {
            object = try request.content.decode([String: JSONValue].self, as: .json)
        } catch {
            throw APIError.badRequest("the body must be a JSON object: \(error)")
        }
        let unknown = object.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw APIError.unprocessable(
                "unknown_field", "unknown field(s) \(unknown.joined(separator: ", ")); allowed: \(allowed.sorted().joined(separator: ", "))")
        }
        return object
    }

    /// A validated body of type `T` whose keys are all `T`'s own.
    static func decode<T: Content & Validatable>(_ type: T.Type, _ request: Request, allowed: Set<String>) throws -> T {
        _ = try object(request, allowed: allowed)
        try T.validate(content: request)
        return try request.content.decode(T.self, as: .json)
    }
}
