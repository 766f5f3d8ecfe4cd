import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// The HTTP methods the S3 store uses.
enum S3Method: String, Sendable {
    case get = "GET"
    case put = "PUT"
    case head = "HEAD"
    case delete = "DELETE"
}

/// A checked S3 endpoint URL (`http://127.0.0.1:9000`, `https://s3.eu-west-1.amazonaws.com`).
struct S3Endpoint: Sendable {
    let url: URL
    let scheme: String
    let hostHeader: String
    let basePath: String

    init(_ text: String) throws(BlobError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw .engine("S3 endpoint \(text.debugDescription) is not an http:// or https:// URL")
        }
        guard let host = url.host, !host.isEmpty else {
            throw .engine("S3 endpoint \(text.debugDescription) has no host name")
        }
        guard url.query == nil, url.fragment == nil, url.user == nil else {
            throw .engine("S3 endpoint \(text.debugDescription) must not contain a query, fragment or user name")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.url = url
        self.scheme = scheme
        self.hostHeader = url.port.map { $0 == defaultPort ? bracketed : "\(bracketed):\($0)" } ?? bracketed
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// S3 bucket naming rules: 3–63 characters, lowercase letters, digits, '.' and '-',
    /// beginning and ending with a letter or digit.
    static func validateBucket(_ bucket: String) throws(BlobError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        let edges = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        guard (3...63).contains(bucket.count), bucket.allSatisfy(allowed.contains),
            let first = bucket.first, let last = bucket.last, edges.contains(first), edges.contains(last)
        else {
            throw .engine(
                "S3 bucket name \(bucket.debugDescription) is invalid: use 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"
            )
        }
    }
}

extension S3BlobStore {
    /// The decoded request path of an object (`/<bucket>/<key>`), or of the bucket.
    func objectPath(_ key: String?) -> String {
        let bucketPath = "\(basePath)/\(bucket)"
        return key.map { "\(bucketPath)/\($0)" } ?? bucketPath
    }

    /// Signs and sends one request. Transport failures become `BlobError.engine` naming the endpoint.
    func send(
        _ method: S3Method,
        key: String?,
        query: [SigV4Signer.QueryItem] = [],
        headers: [SigV4Signer.Header] = [],
        body: HTTPClientRequest.Body? = nil,
        payload: SigV4Signer.Payload = .empty,
        timeout: TimeAmount? = nil,
        operation: String
    ) async throws -> HTTPClientResponse {
        let path = objectPath(key)
        var url = "\(scheme)://\(hostHeader)\(SigV4Encoding.path(path))"
        if !query.isEmpty { url += "?" + SigV4Encoding.canonicalQuery(query) }
        var request = HTTPClientRequest(url: url)
        switch method {
        case .get: request.method = .GET
        case .put: request.method = .PUT
        case .head: request.method = .HEAD
        case .delete: request.method = .DELETE
        }
        let signed = signer.authorizedHeaders(
            method: method.rawValue, host: hostHeader, path: path, query: query, headers: headers, payload: payload
        )
        for header in signed {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = body
        do {
            return try await httpClient.execute(request, timeout: timeout ?? requestTimeout)
        } catch let error as BlobError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw BlobError.unavailable(
                "cannot \(operation): S3 at \(endpoint.absoluteString) did not answer (\(error)); check S3_ENDPOINT and that the server is running"
            )
        }
    }

    private static let regionErrorCodes: Set<String> = ["AuthorizationHeaderMalformed", "PermanentRedirect"]

    /// Turns an unexpected response into a `BlobError` carrying S3's own Code and Message.
    func failure(_ response: HTTPClientResponse, key: String?, operation: String) async -> BlobError {
        let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? ByteBuffer()
        let details = S3XML.errorDetails(Data(buffer: body))
        let status = response.status.code
        let said = details.map { "\($0.code): \($0.message)" } ?? "HTTP \(status) with no error details"
        switch status {
        case 404 where details?.code == "NoSuchBucket" || (key == nil && details == nil):
            return .engine(
                "cannot \(operation): bucket \(bucket.debugDescription) does not exist at \(endpoint.absoluteString) (\(said)); create it or fix S3_BUCKET"
            )
        case 404 where key != nil:
            return .notFound(key ?? "")
        case 403:
            return .engine(
                "S3 refused to \(operation) (HTTP 403, \(said)). Check S3_ACCESS_KEY and S3_SECRET_KEY, and that S3_REGION (\(region)) is the bucket's region"
            )
        case 301:
            return .engine(
                "S3 could not \(operation) (\(said)). The bucket probably lives in another region than S3_REGION (\(region)) or behind another endpoint"
            )
        case 400 where Self.regionErrorCodes.contains(details?.code ?? ""):
            return .engine(
                "S3 could not \(operation) (\(said)). The bucket probably lives in another region than S3_REGION (\(region)) or behind another endpoint"
            )
        case 500...599:
            return .unavailable("S3 could not \(operation) now (HTTP \(status), \(said))")
        default:
            return .engine("S3 could not \(operation) (HTTP \(status), \(said))")
        }
    }
}
