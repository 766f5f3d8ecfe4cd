import PlaytestCore

/// Who is acting: a signed-in user and the credential they presented.
public struct Principal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        /// `X-API-Key`; the key's id.
        case apiKey(id: String)
        /// `Authorization: Bearer <access token>`.
        case accessToken
        /// The browser's session cookie, with the CSRF token its unsafe requests must carry.
        case browserSession(id: String, csrfToken: String)
        /// The CLI on this machine (`playtest test`, `playtest user …`): acts as an administrator.
        case local
    }

    public var userID: String?
    public var email: String
    public var role: Role
    public var credential: Credential

    public init(userID: String?, email: String, role: Role, credential: Credential) {
        self.userID = userID
        self.email = email
        self.role = role
        self.credential = credential
    }

    /// The local command line, which owns the machine it runs on.
    public static let local = Principal(userID: nil, email: "local", role: .admin, credential: .local)

    /// At least `role`.
    public func has(_ role: Role) -> Bool { self.role >= role }

    /// May change or delete something owned by `ownerID`: its owner, or an admin.
    public func mayChange(ownedBy ownerID: String?) -> Bool {
        role == .admin || (role == .user && ownerID != nil && ownerID == userID)
    }

    /// Throws `AccountError.forbidden` unless `mayChange(ownedBy:)`.
    public func requireChange(ownedBy ownerID: String?, _ what: String) throws(AccountError) {
        guard mayChange(ownedBy: ownerID) else {
            throw AccountError.forbidden(role == .viewer
                ? "a viewer may not change \(what)" : "\(what) belongs to another user; only its owner or an admin may change it")
        }
    }

    /// Throws `AccountError.forbidden` unless the principal has at least `role`.
    public func require(_ role: Role, to action: String) throws(AccountError) {
        guard has(role) else { throw AccountError.forbidden("\(action) needs the \(role.rawValue) role; you are a \(self.role.rawValue)") }
    }
}
