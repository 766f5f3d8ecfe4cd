import PlaytestCore

extension OpenAPIDocument {
    /// Signing in, users, API keys and the audit log.
    static var accountOperations: [Operation] {
        let credentials = OpenAPIRequests.closed(["email": S.string, "password": S.string, "setup_token": S.string], required: ["email", "password"])
        let refresh = OpenAPIRequests.closed(["refresh_token": S.string], required: ["refresh_token"])
        let role = S.string(Role.allCases.map(\.rawValue))
        let newUser = OpenAPIRequests.closed(["email": S.string, "password": S.string, "full_name": S.string, "role": role], required: ["email", "password"])
        let id = Parameter.path("id")
        return [
            Operation("post", api + "/auth/login", "Sign in: a 15-minute access token and a rotating refresh token",
                      body: .schema(credentials), public: true, responses: [200: .json("TokenPair"), 400: .error, 415: .error, 422: .error]),
            Operation("post", api + "/auth/refresh", "Trade a refresh token (once) for a new pair", body: .schema(refresh), public: true,
                      responses: [200: .json("TokenPair"), 400: .error, 415: .error, 422: .error]),
            Operation("post", api + "/auth/logout", "Revoke a refresh token and every token rotated from it", body: .schema(refresh),
                      public: true, responses: [204: .empty, 400: .error, 415: .error, 422: .error]),
            Operation("post", api + "/auth/register", "Sign up as a user (only with PLAYTEST_OPEN_SIGNUP=1)", body: .schema(newUser),
                      public: true, responses: [201: .json("User"), 400: .error, 403: .error, 409: .error, 415: .error, 422: .error]),
            Operation("get", api + "/auth/me", "Who is signed in", responses: [200: .json("User"), 404: .error]),
            Operation("post", api + "/setup", "Create the first administrator of a fresh instance (the setup token, or from this machine)",
                      body: .schema(credentials), public: true,
                      responses: [201: .json("User"), 400: .error, 403: .error, 409: .error, 415: .error, 422: .error]),
            Operation("get", api + "/users", "Every user (admins)", responses: [200: .json("UserList")]),
            Operation("post", api + "/users", "Invite a user with a first password and a role (admins)", body: .schema(newUser),
                      responses: [201: .json("User"), 400: .error, 409: .error, 415: .error, 422: .error]),
            Operation("get", api + "/users/{id}", "One user (yourself, or anyone for admins)", parameters: [id],
                      responses: [200: .json("User"), 404: .error]),
            Operation("patch", api + "/users/{id}", "Change a user's role or disable them (admins)", parameters: [id],
                      body: .schema(OpenAPIRequests.closed(["role": role, "is_active": S.boolean], required: [])),
                      responses: [200: .json("User"), 400: .error, 404: .error, 409: .error, 415: .error, 422: .error]),
            Operation("delete", api + "/users/{id}", "Delete a user; `work=delete` (default) or `work=reassign&to=<user id>` for their maps and runs",
                      parameters: [id, .query("work", S.string(["delete", "reassign"])), .query("to", S.string)],
                      responses: [204: .empty, 400: .error, 404: .error, 409: .error, 422: .error]),
            Operation("get", api + "/audit", "The audit log, newest first (admins)",
                      parameters: [.query("limit", S.integer(minimum: 1, maximum: 1000))], responses: [200: .json("AuditLog"), 400: .error]),
            Operation("get", api + "/api-keys", "Your API keys (`all=true`: everyone's, for admins)", parameters: [.query("all", S.boolean)],
                      responses: [200: .json("APIKeyList"), 400: .error]),
            Operation("post", api + "/api-keys", "Create an API key; the key is in this answer only",
                      body: .schema(OpenAPIRequests.closed(["name": S.string, "expires_in_days": S.integer(minimum: 1, maximum: 3650), "user_id": S.string], required: ["name"])),
                      responses: [201: .json("CreatedAPIKey"), 400: .error, 404: .error, 415: .error, 422: .error]),
            Operation("delete", api + "/api-keys/{id}", "Revoke an API key (yours, or anyone's for admins)", parameters: [id],
                      responses: [204: .empty, 404: .error]),
        ]
    }

    /// The account pages: HTML forms that post. Whatever goes wrong in a form is answered with a page saying so.
    static var accountPageOperations: [Operation] {
        let page = Response.pageOrError
        let failures: [Int: Response] = [400: page, 401: page, 403: page, 404: page, 409: page, 415: page, 422: page, 429: page]
        func answers(_ success: [Int: Response]) -> [Int: Response] { failures.merging(success) { $1 } }
        let signIn = Body.form(["email": S.string, "password": S.string, "next": S.string, "setup_token": S.string], required: [])
        let user = Body.form(["email": S.string, "password": S.string, "role": S.string, "is_active": S.string, "to": S.string], required: [])
        let csrf = Body.form(["_csrf": S.string], required: [])
        return [
            Operation("get", "/login", "Page: sign in", parameters: [.query("next", S.string)], public: true, responses: answers([200: page, 303: .empty])),
            Operation("post", "/login", "Sign a browser in (sets the session cookie)", body: signIn, public: true, responses: answers([303: .empty])),
            Operation("get", "/setup", "Page: create the first administrator", public: true, responses: answers([200: page, 303: .empty])),
            Operation("post", "/setup", "Create the first administrator and sign in", body: signIn, public: true, responses: answers([303: .empty])),
            Operation("post", "/logout", "Sign the browser out", body: csrf, responses: answers([303: .empty])),
            Operation("get", "/account", "Page: your account and API keys", responses: answers([200: page])),
            Operation("post", "/account/keys", "Create an API key from the account page",
                      body: .form(["name": S.string, "expires_in_days": S.string, "_csrf": S.string], required: []), responses: answers([200: page])),
            Operation("post", "/account/keys/{id}/revoke", "Revoke a key from the account page", parameters: [.path("id")], body: csrf,
                      responses: answers([303: .empty])),
            Operation("get", "/users", "Page: users (admins)", responses: answers([200: page])),
            Operation("post", "/users", "Invite a user from the users page", body: user, responses: answers([200: page])),
            Operation("post", "/users/{id}", "Change a user from the users page", parameters: [.path("id")], body: user, responses: answers([200: page])),
            Operation("post", "/users/{id}/delete", "Delete a user from the users page", parameters: [.path("id")], body: user,
                      responses: answers([200: page])),
        ]
    }
}
