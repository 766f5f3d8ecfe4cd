import PlaytestCore
import Vapor

/// `GET /api/v1/openapi.json`: the API document.
struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let document = try PlaytestJSON.data(OpenAPIDocument.json)
        routes.access(.open).get("openapi.json") { _ -> Response in
            let response = Response(status: .ok, body: .init(data: document))
            response.headers.contentType = .json
            return response
        }
    }
}
