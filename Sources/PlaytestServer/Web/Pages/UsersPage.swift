import PlaytestCore
import PlaytestServices

/// Users (admins): invite, change roles, disable, delete (their maps and runs deleted or handed over).
struct UsersPage {
    var users: [UserView]
    var me: String?
    var csrf: String?
    /// What the last change did, or why it was refused.
    var message: String?
    var messageIsError = false

    func page() -> WebPage {
        WebPage(title: "Users", section: .users, kind: "users", content: group {
            WebParts.pageHeader("Users")
            if let message {
                el("p", .cls(messageIsError ? "alert form-alert" : "notice"), .role(messageIsError ? "alert" : "status"), .id("users-message")) { message }
            }
            el("div", .cls("table-wrap")) {
                el("table", .id("users")) {
                    el("thead") { el("tr") { for header in ["E-mail", "Role", "State", "Last sign-in", "Change", "Delete"] { el("th", Attribute("scope", "col")) { header } } } }
                    el("tbody") { for user in users { row(user) } }
                }
            }
            el("section", Attribute("aria-labelledby", "invite-title")) {
                el("h2", .id("invite-title")) { "Invite a user" }
                el("p") { "Give them their e-mail address and this first password; they sign in and create their own API keys." }
                el("form", Attribute("method", "post"), Attribute("action", "/users"), .cls("account-form inline-form"), .id("invite-form")) {
                    WebParts.csrfField(csrf)
                    el("div", .cls("field")) {
                        el("label", .forID("invite-email")) { "E-mail address" }
                        el("input", .type("email"), .id("invite-email"), .name("email"), Attribute("required", ""))
                    }
                    el("div", .cls("field")) {
                        el("label", .forID("invite-password")) { "First password" }
                        el("input", .type("password"), .id("invite-password"), .name("password"), Attribute("minlength", "8"), Attribute("required", ""),
                           Attribute("autocomplete", "new-password"))
                    }
                    el("div", .cls("field")) {
                        el("label", .forID("invite-role")) { "Role" }
                        roleSelect(id: "invite-role", selected: .viewer)
                    }
                    el("button", .type("submit")) { "Invite" }
                }
            }
        })
    }

    private func row(_ user: UserView) -> HTML {
        el("tr", .data("user", user.email)) {
            el("td") { user.email }
            el("td") { user.role.rawValue }
            el("td") { user.isActive ? "active" : "disabled" }
            el("td") { user.lastLogin.map { WebFormat.date($0) } ?? "never" }
            el("td") {
                el("form", Attribute("method", "post"), Attribute("action", "/users/\(user.id)"), .cls("inline")) {
                    WebParts.csrfField(csrf)
                    roleSelect(id: "role-\(user.id)", selected: user.role)
                    el("label") {
                        el("input", .type("checkbox"), .name("is_active"), .value("true"), Attribute("checked", user.isActive ? "" : nil))
                        " active"
                    }
                    el("button", .type("submit")) { "Save" }
                }
            }
            el("td") {
                if user.id != me {
                    el("form", Attribute("method", "post"), Attribute("action", "/users/\(user.id)/delete"), .cls("inline")) {
                        WebParts.csrfField(csrf)
                        el("select", .name("to"), .label("Their maps and runs")) {
                            el("option", .value("")) { "delete their maps and runs" }
                            for other in users where other.id != user.id && other.role != .viewer {
                                el("option", .value(other.id)) { "give them to \(other.email)" }
                            }
                        }
                        el("button", .type("submit"), .cls("danger")) { "Delete" }
                    }
                }
            }
        }
    }

    private func roleSelect(id: String, selected: Role) -> HTML {
        el("select", .id(id), .name("role"), .label("Role")) {
            for role in Role.allCases.reversed() {
                el("option", .value(role.rawValue), Attribute("selected", role == selected ? "" : nil)) { role.rawValue }
            }
        }
    }
}
