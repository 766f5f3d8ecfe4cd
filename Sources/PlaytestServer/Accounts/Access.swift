import PlaytestCore
import PlaytestServices
import Vapor

/// Who may call a route. Every route declares one (`routes.access(.viewer).get(…)`); `AccessMiddleware` enforces it
/// and the route-inventory test fails on a route without one.
enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not (health, the OpenAPI document, signing in, static pages' sign-in and setup).
    case open
    /// At least this role.
    case role(Role)

    static let viewer = Access.role(.viewer)
    static let user = Access.role(.user)
    static let admin = Access.role(.admin)

    static let userInfoKey = "playtest.access"

    var description: String {
        switch self {
        case .open: "public"
        case .role(let role): role.rawValue
        }
    }
}

/// A routes builder that stamps its access on every route added through it (groups built on it included).
struct AccessRoutes: RoutesBuilder {
    let base: any RoutesBuilder
    let access: Access

    func add(_ route: Route) {
        route.userInfo[Access.userInfoKey] = access
        base.add(route)
    }
}

extension RoutesBuilder {
    /// Routes added through the result require `access`.
    func access(_ access: Access) -> any RoutesBuilder { AccessRoutes(base: self, access: access) }
}

extension Route {
    /// The declared access; nil for a route registered without one (treated as admin-only).
    var access: Access? { userInfo[Access.userInfoKey] as? Access }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }

    /// Who is calling, when they presented valid credentials.
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The caller of a route that requires signing in (`AccessMiddleware` has already refused anyone else).
    func actor() throws -> Principal {
        guard let principal else { throw APIError.unauthenticated("sign in first") }
        return principal
    }

    /// The client's address: the peer, or on a loopback peer (a proxy on this machine, such as the project's nginx) or a
    /// trusted proxy (`PLAYTEST_TRUSTED_PROXIES`) the first address of `X-Forwarded-For`.
    var clientAddress: String? {
        let peer = remoteAddress?.ipAddress
        if let peer, Self.isLoopback(peer) || application.trustedProxies.contains(peer),
           let forwarded = headers.first(name: .xForwardedFor)?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return peer
    }

    /// A request straight from this machine (not through a proxy).
    var isFromLoopback: Bool {
        guard let peer = remoteAddress?.ipAddress else { return false }
        return Self.isLoopback(peer) && headers.first(name: .xForwardedFor) == nil
    }

    /// Came over https, directly or as the proxy says.
    var isSecure: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"
    }

    /// A browser asking for a page (not the API, and `text/html` named, not just `*/*`).
    var wantsHTML: Bool {
        !url.path.hasPrefix("/api/") && headers.accept.contains { $0.mediaType.type == "text" && $0.mediaType.subType == "html" }
    }
}

extension Application {
    private struct TrustedProxiesKey: StorageKey {
        typealias Value = TrustedProxies
    }

    /// `PLAYTEST_TRUSTED_PROXIES`, set once when the app is configured.
    var trustedProxies: TrustedProxies {
        get { storage[TrustedProxiesKey.self] ?? TrustedProxies([]) }
        set { storage[TrustedProxiesKey.self] = newValue }
    }
}
