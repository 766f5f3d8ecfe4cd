import Vapor

/// Signing in, and on a fresh instance creating the first administrator.
struct SignInPage {
    enum Mode {
        case signIn
        /// `needsToken`: the request is not from this machine, so the setup token `serve` logged is asked for.
        case setup(needsToken: Bool)
    }

    var mode: Mode
    var next: String
    var email = ""
    var message: String?
    var status: HTTPResponseStatus = .ok

    func page() -> WebPage {
        let isSetup = if case .setup = mode { true } else { false }
        let title = isSetup ? "Create the administrator" : "Sign in"
        return WebPage(title: title, section: nil, kind: isSetup ? "setup" : "login", status: status, content: group {
            WebParts.pageHeader(title)
            if isSetup {
                el("p") { "This Playtest has no users yet. The first account you create here is its administrator; you then invite everyone else from the Users page." }
            }
            if let message { el("p", .cls("alert"), .role("alert"), .id("sign-in-error")) { message } }
            el("form", Attribute("method", "post"), Attribute("action", isSetup ? "/setup" : "/login"), .cls("account-form"), .id(isSetup ? "setup-form" : "login-form")) {
                el("input", .type("hidden"), .name("next"), .value(next))
                el("label", .forID("email")) { "E-mail address" }
                el("input", .type("email"), .id("email"), .name("email"), .value(email), Attribute("autocomplete", "username"), Attribute("required", ""))
                el("label", .forID("password")) { isSetup ? "Password (at least 8 characters)" : "Password" }
                el("input", .type("password"), .id("password"), .name("password"),
                   Attribute("autocomplete", isSetup ? "new-password" : "current-password"), Attribute("required", ""))
                if case .setup(true) = mode {
                    el("label", .forID("setup-token")) { "Setup token (in the log of `playtest serve`)" }
                    el("input", .type("text"), .id("setup-token"), .name("setup_token"), Attribute("required", ""))
                }
                el("button", .type("submit")) { title }
            }
        })
    }
}
