import PlaytestCore
import PlaytestServices
import Vapor

/// Every routed request passes here: credentials are resolved into `request.principal`, the rate limits are taken,
/// the route's declared `Access` is enforced, and a cookie-authenticated unsafe request must carry its session's
/// CSRF token. Static files are served before routing and are public.
struct AccessMiddleware: AsyncMiddleware {
    let accounts: Accounts
    let rateLimits: RateLimits

    static let csrfHeader = "X-CSRF-Token"
    static let csrfField = "_csrf"
    static let apiKeyHeader = "X-API-Key"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.principal = try await principal(of: request)
        let limit = await rateLimits.admitRequest(principal: request.principal.map(Self.bucketName), ip: request.clientAddress)
        if let limit, !limit.allowed {
            throw APIError(.tooManyRequests, code: "rate_limited", "too many requests; slow down", headers: Self.headers(limit, retry: true))
        }
        if let route = request.route {
            if let denied = try denial(route.access ?? .admin, request) { return denied }
        }
        let response = try await next.respond(to: request)
        if let limit { for (name, value) in Self.headers(limit, retry: false) { response.headers.replaceOrAdd(name: name, value: value) } }
        return response
    }

    /// An API key, a bearer token, a WebSocket's `access_token`, or the session cookie. Presented API keys and tokens
    /// must be valid (401 otherwise); a stale cookie is ignored, so the sign-in page still opens.
    func principal(of request: Request) async throws -> Principal? {
        // The scraper's bearer token is the metrics token, checked by the route itself.
        if request.url.path == "/metrics" { return nil }
        if let key = request.headers.first(name: Self.apiKeyHeader) {
            return try await accounts.authenticate(apiKey: key)
        }
        if let bearer = request.headers.bearerAuthorization?.token {
            return try await accounts.authenticate(accessToken: bearer)
        }
        if request.url.path == "/ws", let token = request.query[String.self, at: "access_token"] {
            return try await accounts.authenticate(accessToken: token)
        }
        if let cookie = request.cookies[SessionCookie.name]?.string, !cookie.isEmpty {
            return try await accounts.authenticate(sessionCookie: cookie)
        }
        return nil
    }

    /// nil when the request may go ahead; a sign-in redirect for a page; throws 401/403 otherwise.
    func denial(_ access: Access, _ request: Request) throws -> Response? {
        guard case .role(let role) = access else { return nil }
        guard let principal = request.principal else {
            if request.method == .GET, request.wantsHTML {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                return request.redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            throw APIError.unauthenticated("sign in first: send an API key (X-API-Key), a bearer token, or the session cookie")
        }
        guard principal.has(role) else {
            throw APIError.forbidden("this needs the \(role.rawValue) role; \(principal.email) is a \(principal.role.rawValue)")
        }
        if case .browserSession(_, let csrf) = principal.credential {
            if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
                let presented = request.headers.first(name: Self.csrfHeader) ?? (try? request.content.get(String.self, at: Self.csrfField))
                guard Accounts.secretsMatch(presented, csrf) else {
                    throw APIError(.forbidden, code: "csrf_failed", "the request lacks this session's CSRF token; reload the page and try again")
                }
            }
            // A WebSocket opened with the cookie must come from this site's own pages.
            if request.url.path == "/ws", let origin = request.headers.first(name: .origin), let host = request.headers.first(name: .host),
               URLComponents(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true {
                throw APIError.forbidden("a WebSocket with the session cookie must come from this site's pages")
            }
        }
        return nil
    }

    static func bucketName(_ principal: Principal) -> String {
        switch principal.credential {
        case .apiKey(let id): "key:\(id)"
        default: "user:\(principal.userID ?? principal.email)"
        }
    }

    /// `RateLimit-Limit`/`-Remaining`/`-Reset` (and `Retry-After` on a 429).
    static func headers(_ limit: RateLimitDecision, retry: Bool) -> HTTPHeaders {
        var headers: HTTPHeaders = [
            "RateLimit-Limit": String(limit.capacity), "RateLimit-Remaining": String(limit.remaining),
            "RateLimit-Reset": String(Int(limit.resetAfter.rounded(.up))),
        ]
        if retry { headers.add(name: "Retry-After", value: String(max(1, Int(limit.retryAfter.rounded(.up))))) }
        return headers
    }
}
