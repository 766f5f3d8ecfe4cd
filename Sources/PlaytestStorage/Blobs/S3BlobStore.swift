import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix

/// The scale-out blob store: an S3-compatible bucket (AWS S3, MinIO, moto, …) reached with
/// path-style URLs (`<endpoint>/<bucket>/<key>`) over async-http-client, signed with SigV4.
///
/// Uploads from files stream in 64 KiB chunks with a known `Content-Length`. By default their
/// payload is declared `UNSIGNED-PAYLOAD` (one pass over the file; integrity rests on TCP/TLS);
/// `payloadSigning: .signed` reads the file twice to send its SHA-256, which S3 verifies.
/// In-memory puts always send the SHA-256 of their bytes.
public struct S3BlobStore: BlobStore {
    public enum PayloadSigning: Sendable, Hashable {
        case unsigned
        case signed
    }

    public let endpoint: URL
    public let bucket: String
    public let region: String
    /// Keys requested per ListObjectsV2 page (1…1000).
    public let listPageSize: Int
    public let payloadSigning: PayloadSigning

    let signer: SigV4Signer
    let httpClient: HTTPClient
    let threadPool: NIOThreadPool
    /// `http` or `https`.
    let scheme: String
    /// The `Host` header: host, plus the port when it is not the scheme's default.
    let hostHeader: String
    /// A path prefix of the endpoint, usually empty.
    let basePath: String

    /// Deadline for requests without a large body (HEAD, DELETE, list pages). async-http-client
    /// keeps retrying a refused connection until the deadline, so this bounds how long an
    /// unreachable endpoint takes to report.
    public var requestTimeout: TimeAmount = .seconds(30)
    /// Deadline for `ping`, which health checks call.
    public var pingTimeout: TimeAmount = .seconds(5)
    /// Deadline for whole uploads and downloads.
    public var transferTimeout: TimeAmount = .hours(1)

    public var engineName: String { "s3" }

    /// - Throws: `BlobError.engine` naming the bad value when the endpoint or bucket is malformed.
    public init(
        endpoint: String,
        bucket: String,
        region: String,
        accessKey: String,
        secretKey: String,
        httpClient: HTTPClient = .shared,
        listPageSize: Int = 1000,
        payloadSigning: PayloadSigning = .unsigned,
        threadPool: NIOThreadPool = .singleton
    ) throws(BlobError) {
        let parsed = try S3Endpoint(endpoint)
        try S3Endpoint.validateBucket(bucket)
        guard !region.isEmpty else { throw .engine("S3 region is empty; set it (for example us-east-1)") }
        guard !accessKey.isEmpty, !secretKey.isEmpty else {
            throw .engine("S3 access key and secret key must both be set")
        }
        self.endpoint = parsed.url
        self.scheme = parsed.scheme
        self.hostHeader = parsed.hostHeader
        self.basePath = parsed.basePath
        self.bucket = bucket
        self.region = region
        self.listPageSize = min(max(listPageSize, 1), 1000)
        self.payloadSigning = payloadSigning
        self.httpClient = httpClient
        self.threadPool = threadPool
        self.signer = SigV4Signer(
            credentials: .init(accessKey: accessKey, secretKey: secretKey),
            region: region,
            service: "s3"
        )
    }

    // MARK: Bucket

    /// HEAD bucket: succeeds when the bucket exists and the credentials may use it.
    public func ping() async throws {
        let response = try await send(.head, key: nil, timeout: pingTimeout, operation: "check bucket \(bucket)")
        guard response.status == .ok else { throw await failure(response, key: nil, operation: "check bucket \(bucket)") }
    }

    /// Creates the bucket unless it exists already (for tests and a first start).
    public func createBucketIfMissing() async throws {
        let head = try await send(.head, key: nil, operation: "check bucket \(bucket)")
        if head.status == .ok { return }
        guard head.status == .notFound else {
            throw await failure(head, key: nil, operation: "check bucket \(bucket)")
        }
        var body = ByteBuffer()
        if region != "us-east-1" {
            body.writeString(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
            )
        }
        let payload = SigV4Signer.Payload.hash(of: Data(buffer: body))
        let response = try await send(
            .put, key: nil, body: body.readableBytes > 0 ? .bytes(body) : nil, payload: payload,
            operation: "create bucket \(bucket)"
        )
        if response.status == .ok { return }
        let error = await failure(response, key: nil, operation: "create bucket \(bucket)")
        if case .engine(let message) = error, message.contains("BucketAlreadyOwnedByYou") { return }
        throw error
    }

    // MARK: Writing

    public func put(_ key: String, fileAt path: String, contentType: String?) async throws -> BlobInfo {
        try BlobKey.validate(key)
        let pool = threadPool
        let (fd, size) = try await pool.runIfActive { () throws -> (Int32, Int64) in
            guard let fd = try BlobFile.openForReading(path) else {
                throw BlobError.engine("cannot upload \(path): the file does not exist")
            }
            do { return (fd, try BlobFile.size(of: fd, path: path)) } catch {
                BlobFile.close(fd)
                throw error
            }
        }
        let reader = BlobFileReader(fd: fd, path: path, threadPool: pool)
        let payload: SigV4Signer.Payload
        switch payloadSigning {
        case .unsigned: payload = .unsigned
        case .signed: payload = try await Self.hashFile(at: path, threadPool: pool)
        }
        let response = try await send(
            .put, key: key, headers: contentTypeHeader(contentType),
            body: .stream(reader.chunks(), length: .known(size)), payload: payload,
            timeout: transferTimeout, operation: "upload \(key)"
        )
        guard response.status == .ok else { throw await failure(response, key: key, operation: "upload \(key)") }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return BlobInfo(key: key, size: size, contentType: contentType)
    }

    public func put(_ key: String, bytes: ByteBuffer, contentType: String?) async throws -> BlobInfo {
        try BlobKey.validate(key)
        let payload = SigV4Signer.Payload.hash(of: bytes.readableBytesView)
        let response = try await send(
            .put, key: key, headers: contentTypeHeader(contentType), body: .bytes(bytes), payload: payload,
            timeout: transferTimeout, operation: "upload \(key)"
        )
        guard response.status == .ok else { throw await failure(response, key: key, operation: "upload \(key)") }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return BlobInfo(key: key, size: Int64(bytes.readableBytes), contentType: contentType)
    }

    // MARK: Reading

    public func download(_ key: String, toFile path: String) async throws -> BlobInfo {
        let (response, info) = try await openObject(key)
        let sink = try await BlobFileSink.create(at: path, threadPool: threadPool)
        do {
            for try await chunk in response.body {
                try await sink.write(chunk)
            }
            guard sink.written == info.size else {
                throw BlobError.engine("download of \(key) ended after \(sink.written) of \(info.size) bytes")
            }
            try await sink.commit()
        } catch {
            await sink.abort()
            throw error
        }
        return info
    }

    public func stream(_ key: String) async throws -> BlobStream {
        let (response, info) = try await openObject(key)
        let body = S3BodyChunks(response.body)
        return BlobStream(info: info, chunks: AsyncThrowingStream(unfolding: { try await body.next() }))
    }

    /// Largest blob `get` reads whole; use `stream` or `download` for bigger ones.
    public static let maximumWholeRead = 256 * 1024 * 1024

    public func get(_ key: String) async throws -> ByteBuffer {
        let (response, _) = try await openObject(key)
        return try await response.body.collect(upTo: Self.maximumWholeRead)
    }

    public func head(_ key: String) async throws -> BlobInfo? {
        try BlobKey.validate(key)
        let response = try await send(.head, key: key, operation: "look up \(key)")
        switch response.status {
        case .ok: return Self.info(key: key, response: response)
        case .notFound: return nil
        default: throw await failure(response, key: key, operation: "look up \(key)")
        }
    }

    public func exists(_ key: String) async throws -> Bool {
        try await head(key) != nil
    }

    public func delete(_ key: String) async throws {
        try BlobKey.validate(key)
        let response = try await send(.delete, key: key, operation: "delete \(key)")
        switch response.status {
        case .noContent, .ok, .notFound:
            _ = try? await response.body.collect(upTo: 64 * 1024)
        default:
            throw await failure(response, key: key, operation: "delete \(key)")
        }
    }

    public func list(prefix: String) async throws -> [BlobInfo] {
        try BlobKey.validatePrefix(prefix)
        var found: [BlobInfo] = []
        var token: String?
        repeat {
            var query = [
                SigV4Signer.QueryItem("list-type", "2"),
                SigV4Signer.QueryItem("max-keys", String(listPageSize)),
                SigV4Signer.QueryItem("prefix", prefix),
            ]
            if let token { query.append(SigV4Signer.QueryItem("continuation-token", token)) }
            let operation = "list keys under \(prefix.debugDescription)"
            let response = try await send(.get, key: nil, query: query, operation: operation)
            guard response.status == .ok else { throw await failure(response, key: nil, operation: operation) }
            let page = try S3XML.parse(Data(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024)))
            found += page.objects.map { BlobInfo(key: $0.key, size: $0.size) }
            token = page.fields["IsTruncated"] == "true" ? page.fields["NextContinuationToken"] : nil
            if page.fields["IsTruncated"] == "true", token == nil {
                throw BlobError.engine("S3 said the listing of \(prefix.debugDescription) continues but gave no continuation token")
            }
        } while token != nil
        return found.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    public func presignedURL(_ key: String, expiresIn: Duration) async throws -> URL? {
        try BlobKey.validate(key)
        let seconds = Int(expiresIn.components.seconds)
        let url = signer.presignedURL(
            method: "GET", scheme: scheme, host: hostHeader, path: objectPath(key), expires: seconds
        )
        guard let parsed = URL(string: url) else { throw BlobError.engine("cannot form a presigned URL for \(key)") }
        return parsed
    }

    // MARK: Helpers

    /// GET an object and check it is there; the caller consumes the body.
    private func openObject(_ key: String) async throws -> (HTTPClientResponse, BlobInfo) {
        try BlobKey.validate(key)
        let response = try await send(.get, key: key, timeout: transferTimeout, operation: "download \(key)")
        guard response.status == .ok else { throw await failure(response, key: key, operation: "download \(key)") }
        return (response, Self.info(key: key, response: response))
    }

    private func contentTypeHeader(_ contentType: String?) -> [SigV4Signer.Header] {
        contentType.map { [SigV4Signer.Header("content-type", $0)] } ?? []
    }

    static func info(key: String, response: HTTPClientResponse) -> BlobInfo {
        let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
        return BlobInfo(key: key, size: size, contentType: response.headers.first(name: "content-type"))
    }

    static func hashFile(at path: String, threadPool: NIOThreadPool) async throws -> SigV4Signer.Payload {
        try await threadPool.runIfActive {
            guard let fd = try BlobFile.openForReading(path) else {
                throw BlobError.engine("cannot upload \(path): the file does not exist")
            }
            defer { BlobFile.close(fd) }
            var hasher = SHA256()
            while true {
                let chunk = try BlobFile.read(fd, path: path)
                if chunk.readableBytes == 0 { break }
                hasher.update(data: chunk.readableBytesView)
            }
            return .sha256(hex: SigV4Signer.hex(hasher.finalize()))
        }
    }
}

/// A response body's iterator behind a reference, so a pull-based stream can advance it.
final class S3BodyChunks: @unchecked Sendable {
    // Advanced only by `AsyncThrowingStream(unfolding:)`, which never calls it concurrently.
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ body: HTTPClientResponse.Body) {
        self.iterator = body.makeAsyncIterator()
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}
