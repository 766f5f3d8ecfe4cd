import PlaytestCore
import PlaytestStorage
import Vapor

// The seed's response shapes live in PlaytestStorage (the CLI prints the same JSON); here they become responses.
extension TestStatus: Content {}
extension TestResults: Content {}
extension TrainingStatus: Content {}
extension TrainingLog: Content {}
extension EpisodeLog: Content {}

/// Status is what clients poll hardest. Its types spell their keys and dates out themselves, so a plain encoder
/// gives the same JSON as the global one, without converting every key to snake case on every request.
enum StatusResponse {
    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        let response = Response(status: .ok, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
