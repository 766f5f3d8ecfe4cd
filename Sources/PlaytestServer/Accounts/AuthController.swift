import PlaytestCore
import PlaytestServices
import Vapor

/// Signing in and out for programs, the first administrator, and who am I: `/api/v1/auth/…` and `/api/v1/setup`.
struct AuthController: RouteCollection {
    let accounts: Accounts
    let setup: SetupToken

    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.open).grouped("auth")
        open.post("login", use: login)
        open.post("refresh", use: refresh)
        open.post("logout", use: logout)
        open.post("register", use: register)
        routes.access(.open).post("setup", use: createAdministrator)
        routes.access(.viewer).get("auth", "me", use: me)
    }

    func login(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(CredentialsBody.self, request)
        return try JSONBody.response(try await accounts.signIn(email: body.email, password: body.password, ip: request.clientAddress)).notCached()
    }

    func refresh(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(RefreshBody.self, request)
        return try JSONBody.response(try await accounts.refresh(body.refreshToken, ip: request.clientAddress)).notCached()
    }

    func logout(_ request: Request) async throws -> Response {
        try await accounts.signOut(refreshToken: try RequestBody.decode(RefreshBody.self, request).refreshToken)
        return Response(status: .noContent)
    }

    func register(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(NewUserBody.self, request)
        guard body.role == nil || body.role == .user else { throw APIError.forbidden("sign-up creates users; an admin sets other roles") }
        let user = try await accounts.register(email: body.email, password: body.password, fullName: body.fullName, ip: request.clientAddress)
        return try JSONBody.response(user, status: .created)
    }

    /// The first administrator of a fresh instance: with the setup token `serve` logged, or from this machine.
    func createAdministrator(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(CredentialsBody.self, request)
        try setup.check(body.setupToken, request)
        let user = try await accounts.createFirstAdmin(email: body.email, password: body.password, ip: request.clientAddress)
        return try JSONBody.response(user, status: .created)
    }

    func me(_ request: Request) async throws -> Response {
        let actor = try request.actor()
        guard let id = actor.userID else { throw APIError.notFound("the local command line has no account") }
        return try JSONBody.response(try await accounts.user(id: id, by: actor))
    }
}

/// The one-time token that lets the first administrator be created from another machine; `serve` logs it.
struct SetupToken: Sendable {
    let value: String

    init() {
        value = [UInt8].random(count: 18).map { String(format: "%02x", $0) }.joined()
    }

    /// Needed unless the request comes straight from this machine.
    func check(_ presented: String?, _ request: Request) throws {
        if request.isFromLoopback { return }
        guard let presented, Accounts.secretsMatch(presented, value) else {
            throw APIError.forbidden("creating the administrator from another machine needs the setup token that `playtest serve` logged")
        }
    }
}
