import PlaytestStorage
import Vapor

/// What the run endpoints share: the launcher for writes, the stores and reports for reads.
struct RunEndpointServices: Sendable {
    let launcher: RunLauncher
    let runs: RunStore
    let telemetry: RunTelemetryStore
    let reports: RunReports
    let blobs: any BlobStore

    init(engines: PlaytestEngines, library: MapLibrary) {
        launcher = RunLauncher(engines: engines, library: library)
        runs = RunStore(sql: engines.sql)
        telemetry = RunTelemetryStore(sql: engines.sql)
        reports = RunReports(runs: runs, telemetry: telemetry, live: RunLiveState(live: engines.live))
        blobs = engines.blobs
    }

    /// The run named by the `:id` path parameter, of `kind` when given; 404 otherwise.
    func run(_ request: Request, kind: RunRecord.Kind? = nil) async throws -> RunRecord {
        let id = request.parameters.get("id") ?? ""
        guard let run = try await runs.run(id: id), kind == nil || run.kind == kind else {
            let noun = kind.map { $0 == .testing ? "test run" : "training run" } ?? "run"
            throw APIError.notFound("no \(noun) \(id.debugDescription)")
        }
        return run
    }

    /// A start or stop body as a JSON object (400 when it is not one).
    static func body(_ request: Request) throws -> [String: RequestValue] {
        guard request.headers.contentType == .json || request.body.data != nil else {
            throw APIError.badRequest("send a JSON object with Content-Type: application/json")
        }
        do {
            return try request.content.decode([String: RequestValue].self, as: .json)
        } catch {
            throw APIError.badRequest("the body must be a JSON object: \(error)")
        }
    }

    /// 202 with the started run and where to follow it.
    static func accepted(_ body: some Content, location: String) throws -> Response {
        let response = Response(status: .accepted)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }

    /// Runs a launcher call, turning a refused request into its 4xx.
    static func launching<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RunRequestError {
            switch error.kind {
            case .notFound: throw APIError(.notFound, code: error.code, error.message)
            case .invalid: throw APIError(.unprocessableEntity, code: error.code, error.message)
            }
        }
    }

    /// `{"test_id": …}` / `{"training_id": …}` of a stop body: nil stops every active run of the kind.
    func stop(_ request: Request, kind: RunRecord.Kind) async throws -> StopResponse {
        let key = kind == .testing ? "test_id" : "training_id"
        let body = request.body.data.map { $0.readableBytes > 0 } == true ? try Self.body(request) : [:]
        let unknown = body.keys.filter { $0 != key }
        guard unknown.isEmpty else { throw APIError.unprocessable("unknown_field", "unknown field(s) \(unknown.sorted().joined(separator: ", ")); allowed: \(key)") }
        var ids: [String]?
        switch body[key] {
        case .none, .some(.null): ids = nil
        case .some(.string(let id)):
            guard let run = try await runs.run(id: id), run.kind == kind else {
                throw APIError.notFound("no \(kind == .testing ? "test" : "training") run \(id.debugDescription)")
            }
            ids = [id]
        case .some(let other): throw APIError.unprocessable("invalid_request", "\(key) must be a string, got \(other.kindDescription)")
        }
        let stopped = try await Self.launching { try await launcher.stop(kind: kind, ids: ids) }
        return StopResponse(kind: kind, ids: stopped)
    }
}
