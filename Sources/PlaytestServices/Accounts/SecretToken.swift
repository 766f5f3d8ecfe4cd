import Crypto
import Foundation

/// Random bearer secrets (API keys, refresh tokens, session cookies) and the SHA-256 under which they are stored.
enum SecretToken {
    /// `prefix` + 32 random bytes, base64url without padding.
    static func make(prefix: String) -> String {
        prefix + base64url(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
    }

    /// Lower-case hex SHA-256: what the tables keep instead of the secret.
    static func hash(_ token: String) -> String {
        // Every request with an API key asks this: hex by table, not String(format:) per byte.
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Compares two secrets in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
