import Foundation
import PlaytestCore
import PlaytestServices
import Vapor

/// The account pages: sign in and out, create the first administrator, my account (API keys), users (admins).
/// Forms post here; a cookie session's posts carry its CSRF token (`AccessMiddleware` checks it).
extension WebController {
    func bootAccounts(_ routes: any RoutesBuilder) throws {
        let open = routes.access(.open)
        open.get("login", use: { try await answer($0, signInPage) })
        open.post("login", use: { try await answer($0, signIn) })
        open.get("setup", use: { try await answer($0, setupPage) })
        open.post("setup", use: { try await answer($0, createAdministrator) })
        let signedIn = routes.access(.viewer)
        signedIn.post("logout", use: { try await answer($0, signOut) })
        signedIn.get("account", use: { try await render($0, accountPage) })
        signedIn.post("account", "keys", use: { try await render($0, createKey) })
        signedIn.post("account", "keys", ":id", "revoke", use: { try await answer($0, revokeKey) })
        let admin = routes.access(.admin)
        admin.get("users", use: { try await render($0, { try await usersPage($0) }) })
        admin.post("users", use: { try await render($0, inviteUser) })
        admin.post("users", ":id", use: { try await render($0, changeUser) })
        admin.post("users", ":id", "delete", use: { try await render($0, deleteUser) })
    }

    var accounts: Accounts { services.accounts }


    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
        var setupToken: String?
        enum CodingKeys: String, CodingKey {
            case email, password, next
            case setupToken = "setup_token"
        }
    }

    /// Only a path on this site: never an absolute URL or `//host`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    func signInPage(_ request: Request) async throws -> Response {
        if try await accounts.needsSetup() { return request.redirect(to: "/setup") }
        let next = Self.safeNext(try request.query.get(String?.self, at: "next"))
        if request.principal != nil { return request.redirect(to: next) }
        return SignInPage(mode: .signIn, next: next).page().response()
    }

    func signIn(_ request: Request) async throws -> Response {
        let form = try request.content.decode(SignInForm.self)
        let next = Self.safeNext(form.next)
        do {
            let session = try await accounts.signInBrowser(email: form.email ?? "", password: form.password ?? "", ip: request.clientAddress)
            return startSession(session, request, next: next)
        } catch let error as AccountError {
            let status: HTTPResponseStatus = if case .throttled = error { .tooManyRequests } else { .unauthorized }
            return SignInPage(mode: .signIn, next: next, email: form.email ?? "", message: error.description, status: status).page().response()
        }
    }

    func signOut(_ request: Request) async throws -> Response {
        if case .browserSession(let id, _) = try request.actor().credential { try await accounts.endBrowserSession(id: id) }
        let response = request.redirect(to: "/login")
        SessionCookie.clear(on: response)
        return response
    }

    func setupPage(_ request: Request) async throws -> Response {
        guard try await accounts.needsSetup() else { return request.redirect(to: "/login") }
        return SignInPage(mode: .setup(needsToken: !request.isFromLoopback), next: "/").page().response()
    }

    func createAdministrator(_ request: Request) async throws -> Response {
        let form = try request.content.decode(SignInForm.self)
        let mode = SignInPage.Mode.setup(needsToken: !request.isFromLoopback)
        do {
            try setupToken.check(form.setupToken, request)
            _ = try await accounts.createFirstAdmin(email: form.email ?? "", password: form.password ?? "", ip: request.clientAddress)
            let session = try await accounts.signInBrowser(email: form.email ?? "", password: form.password ?? "", ip: request.clientAddress)
            return startSession(session, request, next: "/")
        } catch {
            let message = (error as? AccountError)?.description ?? (error as? APIError)?.message ?? "\(error)"
            return SignInPage(mode: mode, next: "/", email: form.email ?? "", message: message, status: .unprocessableEntity).page().response()
        }
    }

    private func startSession(_ session: BrowserSession, _ request: Request, next: String) -> Response {
        let response = request.redirect(to: next)
        SessionCookie.set(session, on: response, for: request, secure: services.configuration.secureCookies)
        return response
    }

    func accountPage(_ request: Request, created: CreatedAPIKey? = nil, message: String? = nil) async throws -> WebPage {
        let actor = try request.actor()
        guard let id = actor.userID else { throw APIError.notFound("the local command line has no account") }
        var page = AccountPage(user: try await accounts.user(id: id, by: actor), keys: try await accounts.keys(by: actor).apiKeys, created: created, message: message)
        if case .browserSession(_, let token) = actor.credential { page.csrf = token }
        return page.page()
    }

    func accountPage(_ request: Request) async throws -> WebPage { try await accountPage(request, created: nil) }

    struct KeyForm: Content {
        var name: String?
        var expiresInDays: String?
        enum CodingKeys: String, CodingKey {
            case name
            case expiresInDays = "expires_in_days"
        }
    }

    func createKey(_ request: Request) async throws -> WebPage {
        let form = try request.content.decode(KeyForm.self)
        let days = form.expiresInDays.flatMap { $0.isEmpty ? nil : Int($0) }
        do {
            let created = try await accounts.createKey(name: form.name ?? "", expiresInDays: days, by: try request.actor(), ip: request.clientAddress)
            return try await accountPage(request, created: created)
        } catch let error as AccountError {
            var page = try await accountPage(request, message: error.description)
            page.status = .unprocessableEntity
            return page
        }
    }

    func revokeKey(_ request: Request) async throws -> Response {
        try await accounts.revokeKey(id: try request.parameter("id"), by: try request.actor(), ip: request.clientAddress)
        return request.redirect(to: "/account")
    }

    func usersPage(_ request: Request, message: String? = nil, isError: Bool = false) async throws -> WebPage {
        let actor = try request.actor()
        var csrf: String?
        if case .browserSession(_, let token) = actor.credential { csrf = token }
        return UsersPage(users: try await accounts.list(by: actor).users, me: actor.userID, csrf: csrf, message: message, messageIsError: isError).page()
    }

    struct UserForm: Content {
        var email: String?
        var password: String?
        var role: String?
        var isActive: String?
        var to: String?
        enum CodingKeys: String, CodingKey {
            case email, password, role, to
            case isActive = "is_active"
        }
    }

    func inviteUser(_ request: Request) async throws -> WebPage {
        let form = try request.content.decode(UserForm.self)
        return try await usersPage(request, outcome: {
            let user = try await accounts.createUser(
                email: form.email ?? "", password: form.password ?? "", fullName: nil, role: Role(rawValue: form.role ?? "") ?? .viewer,
                by: try request.actor(), ip: request.clientAddress)
            return "Invited \(user.email) as \(user.role.rawValue)."
        })
    }

    func changeUser(_ request: Request) async throws -> WebPage {
        let form = try request.content.decode(UserForm.self)
        let id = try request.parameter("id")
        return try await usersPage(request, outcome: {
            let actor = try request.actor()
            guard let role = Role(rawValue: form.role ?? "") else { throw AccountError.invalid("role must be admin, user or viewer") }
            _ = try await accounts.setRole(userID: id, to: role, by: actor, ip: request.clientAddress)
            let user = try await accounts.setActive(userID: id, form.isActive == "true", by: actor, ip: request.clientAddress)
            return "\(user.email) is now \(user.role.rawValue), \(user.isActive ? "active" : "disabled")."
        })
    }

    func deleteUser(_ request: Request) async throws -> WebPage {
        let form = try request.content.decode(UserForm.self)
        let id = try request.parameter("id")
        return try await usersPage(request, outcome: {
            let work: OwnedWork = if let to = form.to, !to.isEmpty { .reassign(toUserID: to) } else { .delete }
            try await accounts.delete(userID: id, work: work, by: try request.actor(), ip: request.clientAddress)
            return "Deleted the user" + (work == .delete ? " with their maps and runs." : "; their maps and runs were handed over.")
        })
    }

    /// The users page after a change, saying what happened or why it was refused (422).
    private func usersPage(_ request: Request, outcome: () async throws -> String) async throws -> WebPage {
        do {
            return try await usersPage(request, message: try await outcome())
        } catch let error as AccountError {
            var page = try await usersPage(request, message: error.description, isError: true)
            page.status = APIError(service: error)?.status ?? .unprocessableEntity
            return page
        }
    }
}
