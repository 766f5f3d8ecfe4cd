import PlaytestCore
import PlaytestServices
import Vapor

/// Users (admins), API keys (everyone's own; admins all) and the audit log: `/api/v1/users`, `/api/v1/api-keys`,
/// `/api/v1/audit`.
struct UsersController: RouteCollection {
    let accounts: Accounts

    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.access(.admin)
        admin.get("users", use: list)
        admin.post("users", use: create)
        admin.patch("users", ":id", use: change)
        admin.delete("users", ":id", use: delete)
        admin.get("audit", use: audit)
        let signedIn = routes.access(.viewer)
        signedIn.get("users", ":id", use: show)
        signedIn.get("api-keys", use: keys)
        signedIn.post("api-keys", use: createKey)
        signedIn.delete("api-keys", ":id", use: revokeKey)
    }

    func list(_ request: Request) async throws -> Response {
        try JSONBody.response(try await accounts.list(by: try request.actor()))
    }

    func create(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(NewUserBody.self, request)
        let user = try await accounts.createUser(
            email: body.email, password: body.password, fullName: body.fullName, role: body.role ?? .user, by: try request.actor(),
            ip: request.clientAddress)
        return try JSONBody.response(user, status: .created)
    }

    func show(_ request: Request) async throws -> Response {
        try JSONBody.response(try await accounts.user(id: try request.parameter("id"), by: try request.actor()))
    }

    func change(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(UserChangeBody.self, request)
        let actor = try request.actor()
        let id = try request.parameter("id")
        guard body.role != nil || body.isActive != nil else { throw APIError.unprocessable("invalid_request", "send role and/or is_active") }
        var user = try await accounts.user(id: id, by: actor)
        if let role = body.role { user = try await accounts.setRole(userID: id, to: role, by: actor, ip: request.clientAddress) }
        if let active = body.isActive { user = try await accounts.setActive(userID: id, active, by: actor, ip: request.clientAddress) }
        return try JSONBody.response(user)
    }

    /// `?work=delete` (default) deletes the user's maps and runs; `?work=reassign&to=<user id>` hands them over.
    func delete(_ request: Request) async throws -> Response {
        let work: OwnedWork
        switch try request.query.get(String?.self, at: "work") ?? "delete" {
        case "delete": work = .delete
        case "reassign":
            guard let heir = try request.query.get(String?.self, at: "to"), !heir.isEmpty else {
                throw APIError.badRequest("work=reassign needs to=<user id>")
            }
            work = .reassign(toUserID: heir)
        case let other: throw APIError.badRequest("work must be delete or reassign, got \(other.debugDescription)")
        }
        try await accounts.delete(userID: try request.parameter("id"), work: work, by: try request.actor(), ip: request.clientAddress)
        return Response(status: .noContent)
    }

    func audit(_ request: Request) async throws -> Response {
        let limit = try request.query.get(Int?.self, at: "limit") ?? 100
        guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be in 1...1000") }
        return try JSONBody.response(try await accounts.auditLog(limit: limit, by: try request.actor()))
    }

    /// `?all=true` (admins): every user's keys.
    func keys(_ request: Request) async throws -> Response {
        let everyone = try request.query.get(Bool?.self, at: "all") ?? false
        return try JSONBody.response(try await accounts.keys(everyone: everyone, by: try request.actor()))
    }

    func createKey(_ request: Request) async throws -> Response {
        let body = try RequestBody.decode(NewKeyBody.self, request)
        let created = try await accounts.createKey(
            name: body.name, expiresInDays: body.expiresInDays, for: body.userID, by: try request.actor(), ip: request.clientAddress)
        return try JSONBody.response(created, status: .created).notCached()
    }

    func revokeKey(_ request: Request) async throws -> Response {
        try await accounts.revokeKey(id: try request.parameter("id"), by: try request.actor(), ip: request.clientAddress)
        return Response(status: .noContent)
    }
}
