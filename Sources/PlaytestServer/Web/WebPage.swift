import PlaytestServices
import Vapor

/// A whole page: the shared header and navigation around one page's content. Pages read fine
/// without JavaScript; `/app.js` adds the live parts.
struct WebPage {
    enum Section: String {
        case maps, runs, bugs, workers, analysis, leaderboards, account, users
    }

    var title: String
    var section: Section?
    /// Names the page for `/app.js` (`data-page` on `<body>`).
    var kind: String
    var status: HTTPResponseStatus = .ok
    var content: HTML
    /// Who is signed in (set by `WebController.render`): the header names them, and the CSRF token goes in a meta tag
    /// that `/app.js` and the forms send back.
    var viewer: Principal?

    /// The viewer's CSRF token, for forms that post.
    var csrfToken: String? {
        if case .browserSession(_, let token) = viewer?.credential { return token }
        return nil
    }

    func render() -> String {
        HTML.document(el("html", Attribute("lang", "en")) {
            el("head") {
                el("meta", Attribute("charset", "utf-8"))
                el("meta", .name("viewport"), Attribute("content", "width=device-width, initial-scale=1"))
                el("meta", .name("color-scheme"), Attribute("content", "light dark"))
                el("title") { title + " · Playtest" }
                el("link", Attribute("rel", "icon"), .href("data:,"))
                el("link", Attribute("rel", "stylesheet"), .href("/app.css"))
                el("script", .type("module"), Attribute("src", "/app.js"))
                if let csrfToken { el("meta", .name("csrf-token"), Attribute("content", csrfToken)) }
            }
            // The role hides the controls it may not use (`.needs-user`, `.needs-admin`); the server refuses them anyway.
            el("body", .data("page", kind), .data("role", viewer?.role.rawValue)) {
                el("a", .cls("skip"), .href("#main")) { "Skip to content" }
                el("header", .cls("top")) {
                    el("a", .cls("brand"), .href("/")) { "Playtest" }
                    el("nav", .label("Main")) {
                        el("ul") {
                            navItem("Maps", href: "/", section: .maps)
                            navItem("Runs", href: "/runs", section: .runs)
                            navItem("Bugs", href: "/bugs", section: .bugs)
                            navItem("Workers and queue", href: "/workers", section: .workers)
                            navItem("Statistics", href: "/analysis", section: .analysis)
                            navItem("Leaderboards", href: "/leaderboards", section: .leaderboards)
                            if viewer?.role == .admin { navItem("Users", href: "/users", section: .users) }
                        }
                    }
                    if let viewer {
                        el("div", .cls("signed-in")) {
                            el("a", .href("/account"), .title("Your account and API keys"), Attribute("aria-current", section == .account ? "page" : nil)) {
                                "\(viewer.email) (\(viewer.role.rawValue))"
                            }
                            el("form", Attribute("method", "post"), Attribute("action", "/logout"), .cls("inline")) {
                                WebParts.csrfField(csrfToken)
                                el("button", .type("submit"), .id("sign-out")) { "Sign out" }
                            }
                        }
                    }
                }
                el("main", .id("main")) {
                    el("div", .id("page-alert"), .cls("alert"), .role("alert"), Attribute("hidden", ""))
                    content
                }
            }
        })
    }

    private func navItem(_ label: String, href: String, section: Section) -> HTML {
        el("li") {
            el("a", .href(href), Attribute("aria-current", self.section == section ? "page" : nil)) { label }
        }
    }

    /// The page for whoever asked: their name in the header, their CSRF token in the forms.
    func response(for request: Request) -> Response {
        var page = self
        page.viewer = request.principal
        return page.response()
    }

    func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}

/// Small pieces every page uses.
enum WebParts {
    /// A status badge; `/app.js` updates `data-status` and the text when a run's status changes.
    static func statusBadge(_ status: String, runID: String? = nil) -> HTML {
        el("span", .cls("badge status-\(status)"), .data("status", status), .data("run-badge", runID)) { status }
    }

    static func pageHeader(_ title: String, @HTMLBuilder actions: () -> HTML = { .empty }) -> HTML {
        el("div", .cls("page-header")) {
            el("h1") { title }
            el("div", .cls("actions")) { actions() }
        }
    }

    /// A definition list of figures.
    static func stats(_ items: [(String, String)], id: String? = nil) -> HTML {
        el("dl", .cls("stats"), .id(id)) {
            for (label, value) in items {
                el("div") {
                    el("dt") { label }
                    el("dd") { value }
                }
            }
        }
    }

    /// The hidden field that carries the session's CSRF token in a form that posts.
    static func csrfField(_ token: String?) -> HTML {
        guard let token else { return .empty }
        return el("input", .type("hidden"), .name("_csrf"), .value(token))
    }

    static func emptyState(_ message: String) -> HTML {
        el("p", .cls("empty")) { message }
    }

    /// The panel shown when something the page needs failed: what failed and why.
    static func failurePanel(title: String, message: String, detail: String? = nil) -> HTML {
        el("section", .cls("failure"), .role("alert")) {
            el("h2") { title }
            el("p", .cls("failure-message")) { message }
            if let detail, !detail.isEmpty {
                el("details") {
                    el("summary") { "Agent output (last lines)" }
                    el("pre") { detail }
                }
            }
        }
    }
}
