import Foundation
import PlaytestCore
import PlaytestStorage

/// API keys: created for a user (shown once), listed, revoked.
extension Accounts {
    /// A new key for `userID` (default: the actor). The key is in the answer once and stored only as its SHA-256.
    public func createKey(name: String, expiresInDays: Int?, for userID: String? = nil, by actor: Principal, ip: String?) async throws -> CreatedAPIKey {
        let owner = userID ?? actor.userID
        guard let owner else { throw AccountError.invalid("the local command line needs --user to create a key") }
        guard actor.role == .admin || owner == actor.userID else { throw AccountError.forbidden("only an admin may create keys for other users") }
        let user = try await existingUser(owner)
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else { throw AccountError.invalid("a key's name must be 1 to 100 characters") }
        if let days = expiresInDays, !(1...3650).contains(days) { throw AccountError.invalid("expires_in_days must be in 1...3650") }
        let visible = String(SecretToken.make(prefix: "").prefix(8)).replacingOccurrences(of: "-", with: "x").replacingOccurrences(of: "_", with: "y")
        let key = "pt_\(visible)_" + SecretToken.make(prefix: "")
        let stored = APIKeyRecord(
            id: UUID().uuidString.lowercased(), userID: user.id, prefix: "pt_\(visible)", name: trimmed, lastUsed: nil,
            expiresAt: expiresInDays.map { Date().addingTimeInterval(Double($0) * 86400) }, isActive: true, createdAt: Date())
        try await keys.insert(stored, hash: SecretToken.hash(key))
        try await record("apikey.create", actor: actor, target: "\(stored.prefix) of \(user.email)", ip: ip, detail: trimmed)
        return CreatedAPIKey(key: key, apiKey: APIKeyView(stored))
    }

    /// The actor's keys, or with `everyone` (admins) every user's.
    public func keys(everyone: Bool = false, by actor: Principal) async throws -> APIKeyList {
        if everyone { try actor.require(.admin, to: "listing other users' keys") }
        return APIKeyList(apiKeys: try await keys.keys(userID: everyone ? nil : actor.userID).map(APIKeyView.init))
    }

    public func revokeKey(id: String, by actor: Principal, ip: String?) async throws {
        guard let key = try await keys.key(id: id) else { throw AccountError.notFound("no API key has id \(id)") }
        guard actor.role == .admin || key.userID == actor.userID else { throw AccountError.forbidden("only an admin may revoke other users' keys") }
        _ = try await keys.revoke(id: id)
        await cache.changed()
        try await record("apikey.revoke", actor: actor, target: key.prefix, ip: ip, detail: key.name)
    }
}
