import Foundation
import JWTKit
import PlaytestCore

/// Short-lived HS256 access tokens (JWTKit): `sub` the user, `aud`/`iss` checked, 15 minutes.
struct AccessTokens: Sendable {
    static let issuer = "playtest"
    static let audience = "playtest-api"
    static let lifetime: TimeInterval = 15 * 60

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var role: String

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try aud.verifyIntendedAudience(includes: AccessTokens.audience)
            guard iss.value == AccessTokens.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unknown issuer") }
        }
    }

    let keys: JWTKeyCollection

    init(secret: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    func issue(userID: String, role: Role, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(Self.lifetime)
        let claims = Claims(
            sub: SubjectClaim(value: userID), iss: IssuerClaim(value: Self.issuer), aud: AudienceClaim(value: [Self.audience]),
            exp: ExpirationClaim(value: expiresAt), iat: IssuedAtClaim(value: now), role: role.rawValue)
        return (try await keys.sign(claims), expiresAt)
    }

    /// The user id of a valid token; nil for anything else (bad signature, `alg: none`, expired, wrong audience).
    func userID(of token: String) async -> String? {
        try? await keys.verify(token, as: Claims.self).sub.value
    }
}
