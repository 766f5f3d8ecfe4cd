import Vapor

/// Gives every request an id (kept from a sane incoming `X-Request-Id`), echoes it in the response,
/// puts it in the request's log metadata, and records the request in the Prometheus metrics.
struct RequestObservationMiddleware: AsyncMiddleware {
    let metrics: PlaytestMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        if let incoming = request.headers.first(name: "X-Request-Id"), Self.isSane(incoming) {
            request.logger[metadataKey: "request-id"] = .string(incoming)
        }
        let id = request.logger[metadataKey: "request-id"].map { "\($0)" } ?? request.id
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = JSONErrorMiddleware.response(for: error, request: request)
        }
        response.headers.replaceOrAdd(name: "X-Request-Id", value: id)
        // The route pattern, not the raw path, keeps label cardinality bounded.
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: ContinuousClock.now - started)
        if response.status.code >= 500 {
            request.logger.error("\(request.method) \(request.url.path) -> \(response.status.code)")
        } else {
            request.logger.debug("\(request.method) \(request.url.path) -> \(response.status.code)")
        }
        return response
    }

    static func isSane(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
