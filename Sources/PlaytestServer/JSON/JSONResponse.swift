import PlaytestCore
import PlaytestServices
import Vapor

/// A response body in the one JSON convention (`PlaytestJSON`: each type's snake_case keys, ISO 8601 dates). The
/// services' views answer through it, so nothing changes Vapor's shared `ContentConfiguration`.
protocol JSONResponse: Encodable, AsyncResponseEncodable {}

extension JSONResponse {
    public func encodeResponse(for request: Request) async throws -> Response {
        try JSONBody.response(self)
    }
}

enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status, body: .init(data: try PlaytestJSON.data(value)))
        response.headers.contentType = .json
        return response
    }
}

extension MapView: JSONResponse {}
extension MapList: JSONResponse {}
extension MapDetail: JSONResponse {}
extension RunView: JSONResponse {}
extension RunList: JSONResponse {}
extension RunsStopped: JSONResponse {}
extension TestResults: JSONResponse {}
extension TrainingLog: JSONResponse {}
extension TestLog: JSONResponse {}
extension ArtifactList: JSONResponse {}
extension RunEvidenceList: JSONResponse {}
extension RunNarrative: JSONResponse {}
extension CheckpointList: JSONResponse {}
extension JobView: JSONResponse {}
extension JobList: JSONResponse {}
extension JobCancellation: JSONResponse {}
extension WorkerList: JSONResponse {}

/// Status is what clients poll hardest: answered as JSON that no cache keeps.
extension TestStatus: JSONResponse {
    public func encodeResponse(for request: Request) async throws -> Response { try JSONBody.response(self).notCached() }
}

extension TrainingStatus: JSONResponse {
    public func encodeResponse(for request: Request) async throws -> Response { try JSONBody.response(self).notCached() }
}

extension Response {
    func notCached() -> Response {
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return self
    }
}
