import Foundation
import PlaytestServices

/// "My account": who you are, and your API keys (create one, shown once; revoke).
struct AccountPage {
    var user: UserView
    var keys: [APIKeyView]
    /// A key just created: its only showing.
    var created: CreatedAPIKey?
    var message: String?

    func page() -> WebPage {
        WebPage(title: "Your account", section: .account, kind: "account", content: group {
            WebParts.pageHeader("Your account")
            WebParts.stats([("E-mail", user.email), ("Role", user.role.rawValue), ("Last sign-in", user.lastLogin.map { WebFormat.date($0) } ?? "—")])
            if let message { el("p", .cls("alert"), .role("alert")) { message } }
            if let created {
                el("section", .cls("new-key"), .id("new-key"), .role("status")) {
                    el("h2") { "Your new key" }
                    el("p") { "Copy it now: it is not shown again. Programs send it as the X-API-Key header." }
                    el("pre", .id("new-key-value")) { created.key }
                }
            }
            el("section", Attribute("aria-labelledby", "keys-title")) {
                el("h2", .id("keys-title")) { "API keys" }
                el("p") { "A key acts as you, with your role. Keys are stored only as a hash; the prefix tells them apart." }
                if keys.isEmpty {
                    WebParts.emptyState("No keys yet.")
                } else {
                    el("div", .cls("table-wrap")) {
                        el("table", .id("api-keys")) {
                            el("thead") { el("tr") { for header in ["Name", "Prefix", "Created", "Last used", "Expires", "State", ""] { el("th", Attribute("scope", "col")) { header } } } }
                            el("tbody") { for key in keys { row(key) } }
                        }
                    }
                }
                el("form", Attribute("method", "post"), Attribute("action", "/account/keys"), .cls("account-form inline-form"), .id("new-key-form")) {
                    WebParts.csrfField(csrf)
                    el("div", .cls("field")) {
                        el("label", .forID("key-name")) { "Name" }
                        el("input", .type("text"), .id("key-name"), .name("name"), Attribute("placeholder", "CI pipeline"), Attribute("required", ""),
                           Attribute("maxlength", "100"))
                    }
                    el("div", .cls("field")) {
                        el("label", .forID("key-days")) { "Expires in days (empty: never)" }
                        el("input", .type("number"), .id("key-days"), .name("expires_in_days"), Attribute("min", "1"), Attribute("max", "3650"))
                    }
                    el("button", .type("submit")) { "Create key" }
                }
            }
        })
    }

    var csrf: String?

    private func row(_ key: APIKeyView) -> HTML {
        el("tr", .data("key", key.id)) {
            el("td") { key.name }
            el("td") { el("code") { key.prefix } }
            el("td") { WebFormat.date(key.createdAt) }
            el("td") { key.lastUsed.map { WebFormat.date($0) } ?? "never" }
            el("td") { key.expiresAt.map { WebFormat.date($0) } ?? "never" }
            el("td") { key.isActive ? "active" : "revoked" }
            el("td") {
                if key.isActive {
                    el("form", Attribute("method", "post"), Attribute("action", "/account/keys/\(key.id)/revoke"), .cls("inline")) {
                        WebParts.csrfField(csrf)
                        el("button", .type("submit"), .cls("danger")) { "Revoke" }
                    }
                }
            }
        }
    }
}
