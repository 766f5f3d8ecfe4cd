import Foundation
import PlaytestCore
@testable import PlaytestServer
import PlaytestServices
import PlaytestStorage
import Testing
import VaporTesting

/// Every registered route, called without credentials, as a viewer and as a user: a route added without a declared
/// access, or one that opens up by mistake, fails here.
@Suite("Route inventory", .serialized)
struct RouteInventoryTests {
    /// The routes anyone may call (docs/accounts.md lists them).
    static let documentedPublic: Set<String> = [
        "GET /api/v1/health", "GET /api/v1/health/live", "GET /api/v1/health/ready", "GET /api/v1/openapi.json", "GET /metrics",
        "POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout", "POST /api/v1/auth/register",
        "POST /api/v1/setup", "GET /login", "POST /login", "GET /setup", "POST /setup",
    ]

    static func name(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map { $0.description }.joined(separator: "/")
    }

    /// The route's path with each parameter filled in.
    static func concretePath(_ route: Route) -> String {
        route.path.map { component -> String in
            if case .parameter = component { return "00000000-0000-0000-0000-000000000000" }
            return component.description
        }.joined(separator: "/")
    }

    static func status(_ app: Application, _ route: Route, headers: HTTPHeaders) async throws -> HTTPStatus {
        var status = HTTPStatus.ok
        try await app.testing().test(route.method, concretePath(route), headers: headers) { status = $0.status }
        return status
    }

    @Test("without credentials every route but the documented public ones answers 401; every route declares its access")
    func anonymous() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, _ in
            var open: Set<String> = []
            for route in app.routes.all {
                let name = Self.name(route)
                #expect(route.access != nil, "\(name) declares no access")
                if route.access == .open { open.insert(name) }
                let status = try await Self.status(app, route, headers: ["X-Anonymous": "1"])
                if Self.documentedPublic.contains(name) {
                    #expect(status != .unauthorized, "\(name) is public but answered 401")
                } else {
                    #expect(status == .unauthorized, "\(name) answered \(status.code) without credentials")
                }
            }
            #expect(open == Self.documentedPublic, "the public routes are exactly the documented ones")
        }
    }

    @Test("a viewer gets 403 on every write route and every admin route; a user on every admin route")
    func roles() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            let services = testServices(engines)
            let viewer = try await testKey(services, role: .viewer)
            let user = try await testKey(services, role: .user)
            var checked = 0
            for route in app.routes.all {
                guard case .role(let role) = route.access, role > .viewer else { continue }
                let name = Self.name(route)
                let asViewer = try await Self.status(app, route, headers: ["X-API-Key": viewer])
                #expect(asViewer == .forbidden, "a viewer on \(name) got \(asViewer.code)")
                if role == .admin {
                    let asUser = try await Self.status(app, route, headers: ["X-API-Key": user])
                    #expect(asUser == .forbidden, "a user on \(name) got \(asUser.code)")
                }
                checked += 1
            }
            #expect(checked >= 15, "write and admin routes were found (\(checked))")
        }
    }
}
