import Foundation
import PlaytestStorage

/// A hash of a random password at the configured cost, checked when the address is unknown so both cost the same.
actor DecoyHash {
    private var made: String?

    func hash(with hasher: any PasswordHasher) async throws -> String {
        if let made { return made }
        let hash = try await hasher.hash(SecretToken.make(prefix: ""))
        made = hash
        return hash
    }
}

/// The token-signing key: `PLAYTEST_JWT_SECRET`, or one generated once and shared by every `serve` through SQL.
actor SigningKey {
    let configured: String?
    let secrets: ServerSecrets
    var loaded: AccessTokens?

    init(configured: String?, secrets: ServerSecrets) {
        self.configured = configured
        self.secrets = secrets
    }

    func tokens() async -> AccessTokens {
        if let loaded { return loaded }
        var secret = configured
        if secret == nil { secret = try? await secrets.value("jwt_hs256", orStore: { SecretToken.make(prefix: "") }) }
        guard let secret else {
            // SQL unreachable: a throwaway key that verifies nothing issued elsewhere, not kept, so the next call retries.
            return await AccessTokens(secret: SecretToken.make(prefix: ""))
        }
        let tokens = await AccessTokens(secret: secret)
        loaded = tokens
        return tokens
    }
}
