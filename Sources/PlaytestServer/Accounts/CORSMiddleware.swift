import Vapor

/// Lets the pages of the configured origins (`PLAYTEST_CORS_ORIGINS`) call the API from a browser, with credentials.
/// A preflight from such an origin is answered here (204); one from any other origin gets 403, so a misconfigured
/// front end sees why (in the JSON error shape). Requests without `Origin`, or from other origins (the server's own pages send theirs on a
/// POST), pass unchanged: without the CORS headers a browser keeps another site from reading the answer.
struct CORSMiddleware: AsyncMiddleware {
    let origins: Set<String>

    static let methods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let headers = "Authorization, Content-Type, Accept, X-API-Key, X-Request-Id, If-Match"
    static let exposed = "Retry-After, X-Request-Id, Location, ETag, Content-Disposition"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let origin = request.headers.first(name: .origin) else { return try await next.respond(to: request) }
        let allowed = origins.contains(origin.lowercased())
        if request.method == .OPTIONS, request.headers.first(name: .accessControlRequestMethod) != nil {
            guard allowed else {
                let refusal = APIError.forbidden("origin \(origin) may not call this API from a browser (PLAYTEST_CORS_ORIGINS lists the ones that may)")
                return JSONErrorMiddleware.response(for: refusal, request: request)
            }
            let response = Response(status: .noContent)
            Self.allow(origin, on: response)
            response.headers.replaceOrAdd(name: .accessControlAllowMethods, value: Self.methods)
            response.headers.replaceOrAdd(name: .accessControlAllowHeaders, value: Self.headers)
            response.headers.replaceOrAdd(name: .accessControlMaxAge, value: "600")
            return response
        }
        // Errors are answers by now (JSONErrorMiddleware runs inside), so an allowed page can read those too.
        let response = try await next.respond(to: request)
        if allowed {
            Self.allow(origin, on: response)
            response.headers.replaceOrAdd(name: .accessControlExpose, value: Self.exposed)
        }
        return response
    }

    private static func allow(_ origin: String, on response: Response) {
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: origin)
        response.headers.replaceOrAdd(name: .accessControlAllowCredentials, value: "true")
        response.headers.add(name: .vary, value: "Origin")
    }
}
