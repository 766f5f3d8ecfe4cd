import Crypto
import Foundation

/// AWS Signature Version 4 (HMAC-SHA256), for header authorization and presigned query URLs.
///
/// Each step is exposed (`canonicalRequest`, `stringToSign`, `signingKey`), so tests can check the
/// published AWS vectors line by line. Paths are given decoded (`/maps/a b.wad`) and are
/// percent-encoded exactly once while signing; the same encoding is what must go on the wire
/// (`SigV4Encoding.path`). With `.s3` paths are otherwise left as they are, because S3 object keys
/// may legitimately contain `//` or `.`; `.normalized` removes dot segments and repeated slashes
/// first, as the generic AWS test suite (get-slash, get-relative, …) expects.
public struct SigV4Signer: Sendable {
    public struct Credentials: Sendable, Hashable {
        public var accessKey: String
        public var secretKey: String
        public var sessionToken: String?
        public init(accessKey: String, secretKey: String, sessionToken: String? = nil) {
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.sessionToken = sessionToken
        }
    }

    public enum PathHandling: Sendable, Hashable {
        /// Sign the path as given (S3 does not normalize object keys).
        case s3
        /// Remove `.` and `..` segments and repeated slashes before signing.
        case normalized
    }

    /// What the request's payload is declared as: its SHA-256, or not signed at all.
    public enum Payload: Sendable, Hashable {
        case unsigned
        case sha256(hex: String)

        public static let empty = Payload.sha256(hex: SigV4Signer.hexSHA256(Data()))

        public static func hash(of bytes: some DataProtocol) -> Payload {
            .sha256(hex: SigV4Signer.hexSHA256(bytes))
        }

        /// The `x-amz-content-sha256` value and the canonical request's last line.
        public var value: String {
            switch self {
            case .unsigned: "UNSIGNED-PAYLOAD"
            case .sha256(let hex): hex
            }
        }
    }

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String = "") {
            self.name = name
            self.value = value
        }
    }

    /// Everything signed: method, decoded path, decoded query items and the headers to sign
    /// (which must include `host` and, for header signing, `x-amz-date`).
    public struct Request: Sendable, Hashable {
        public var method: String
        public var path: String
        public var query: [QueryItem]
        public var headers: [Header]
        public init(method: String, path: String, query: [QueryItem] = [], headers: [Header]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }
    }

    /// The intermediate and final results of signing one request.
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var credential: String
        public var signature: String

        /// The `Authorization` header value.
        public var authorization: String {
            "\(SigV4Signer.algorithm) Credential=\(credential), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        }
    }

    public static let algorithm = "AWS4-HMAC-SHA256"

    public let credentials: Credentials
    public let region: String
    public let service: String
    public let pathHandling: PathHandling

    public init(credentials: Credentials, region: String, service: String = "s3", pathHandling: PathHandling = .s3) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.pathHandling = pathHandling
    }

    // MARK: Signing steps

    public func canonicalRequest(_ request: Request, payload: Payload) -> String {
        let headers = SigV4Encoding.canonicalHeaders(request.headers)
        let path = pathHandling == .normalized ? SigV4Encoding.normalizedPath(request.path) : request.path
        return [
            request.method.uppercased(),
            SigV4Encoding.path(path),
            SigV4Encoding.canonicalQuery(request.query),
            headers.lines,
            "",
            headers.signedHeaders,
            payload.value,
        ].joined(separator: "\n")
    }

    public func credentialScope(date: Date) -> String {
        "\(SigV4Date(date).day)/\(region)/\(service)/aws4_request"
    }

    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            Self.algorithm,
            SigV4Date(date).timestamp,
            credentialScope(date: date),
            Self.hexSHA256(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
    }

    /// The key derived from the secret for one day, region and service.
    public func signingKey(date: Date) -> SymmetricKey {
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretKey)".utf8))
        var key = Self.hmac(secret, SigV4Date(date).day)
        for part in [region, service, "aws4_request"] {
            key = Self.hmac(key, part)
        }
        return key
    }

    /// Signs `request` exactly as given (the caller supplies `host`, `x-amz-date`, …).
    public func sign(_ request: Request, payload: Payload, date: Date) -> Signature {
        let canonical = canonicalRequest(request, payload: payload)
        let toSign = stringToSign(canonicalRequest: canonical, date: date)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: signingKey(date: date))
        return Signature(
            canonicalRequest: canonical,
            stringToSign: toSign,
            signedHeaders: SigV4Encoding.canonicalHeaders(request.headers).signedHeaders,
            credential: "\(credentials.accessKey)/\(credentialScope(date: date))",
            signature: Self.hex(mac)
        )
    }

    // MARK: Ready-made requests

    /// The headers to send with a request signed in the `Authorization` header: the given headers
    /// plus `host`, `x-amz-date`, `x-amz-content-sha256`, the session token if any, and
    /// `authorization`. Every header returned except `authorization` is signed.
    public func authorizedHeaders(
        method: String,
        host: String,
        path: String,
        query: [QueryItem] = [],
        headers: [Header] = [],
        payload: Payload,
        date: Date = Date()
    ) -> [Header] {
        var signed = headers.filter { !Self.managedHeaders.contains($0.name.lowercased()) }
        signed.append(Header("host", host))
        signed.append(Header("x-amz-date", SigV4Date(date).timestamp))
        signed.append(Header("x-amz-content-sha256", payload.value))
        if let token = credentials.sessionToken {
            signed.append(Header("x-amz-security-token", token))
        }
        let signature = sign(Request(method: method, path: path, query: query, headers: signed), payload: payload, date: date)
        return signed + [Header("authorization", signature.authorization)]
    }

    /// A presigned URL (query-string authorization, `UNSIGNED-PAYLOAD`, only `host` signed).
    /// - Parameter expires: seconds the URL stays valid, 1 to 604800 (7 days, S3's maximum).
    public func presignedURL(
        method: String = "GET",
        scheme: String = "https",
        host: String,
        path: String,
        query: [QueryItem] = [],
        expires: Int,
        date: Date = Date()
    ) -> String {
        let seconds = min(max(expires, 1), 604_800)
        var items = query
        items.append(QueryItem("X-Amz-Algorithm", Self.algorithm))
        items.append(QueryItem("X-Amz-Credential", "\(credentials.accessKey)/\(credentialScope(date: date))"))
        items.append(QueryItem("X-Amz-Date", SigV4Date(date).timestamp))
        items.append(QueryItem("X-Amz-Expires", String(seconds)))
        if let token = credentials.sessionToken {
            items.append(QueryItem("X-Amz-Security-Token", token))
        }
        items.append(QueryItem("X-Amz-SignedHeaders", "host"))
        let request = Request(method: method, path: path, query: items, headers: [Header("host", host)])
        let signature = sign(request, payload: .unsigned, date: date)
        let signedPath = pathHandling == .normalized ? SigV4Encoding.normalizedPath(path) : path
        return "\(scheme)://\(host)\(SigV4Encoding.path(signedPath))?\(SigV4Encoding.canonicalQuery(items))"
            + "&X-Amz-Signature=\(signature.signature)"
    }

    private static let managedHeaders: Set<String> = [
        "host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization",
    ]

    // MARK: Hashing

    public static func hexSHA256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hmac(_ key: SymmetricKey, _ message: String) -> SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
