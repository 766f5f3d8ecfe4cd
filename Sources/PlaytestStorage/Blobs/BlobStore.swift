import Foundation
import NIOCore

/// Immutable artifacts: WAD files, checkpoints, screenshots, demos.
///
/// Keys are relative, slash-separated paths such as `maps/ab/abcdef.wad`. Implementations:
/// `FolderBlobStore` (embedded default) and `S3BlobStore` (scale-out).
public protocol BlobStore: Sendable {
    /// A human-readable engine name for health reports ("folder", "s3").
    var engineName: String { get }

    /// Checks the engine is usable (folder writable, bucket reachable).
    func ping() async throws

    /// Streams the file at `path` into `key` without holding it whole in memory.
    func put(_ key: String, fileAt path: String, contentType: String?) async throws -> BlobInfo
    /// Stores several local files, such as one flush of a run's screenshots and demos. Every key is
    /// checked before anything is written. The folder store makes the batch durable at once (one
    /// folder sync per batch instead of one per file); the others may put the files one by one.
    func put(files: [BlobUpload]) async throws -> [BlobInfo]
    /// Stores small in-memory bytes.
    func put(_ key: String, bytes: ByteBuffer, contentType: String?) async throws -> BlobInfo

    /// Streams the blob into a local file (written atomically). Throws `BlobError.notFound`.
    func download(_ key: String, toFile path: String) async throws -> BlobInfo
    /// Streams the blob in chunks (for proxied HTTP downloads). Throws `BlobError.notFound`.
    func stream(_ key: String) async throws -> BlobStream
    /// Streams the blob from byte `offset` on (an HTTP Range request: a browser seeking in a video); `info` keeps the
    /// whole blob's size.
    func stream(_ key: String, from offset: Int64) async throws -> BlobStream
    /// Reads a small blob whole. Throws `BlobError.notFound`.
    func get(_ key: String) async throws -> ByteBuffer

    func head(_ key: String) async throws -> BlobInfo?
    func exists(_ key: String) async throws -> Bool
    /// Deleting a missing key is not an error.
    func delete(_ key: String) async throws
    /// Every key under `prefix`, sorted.
    func list(prefix: String) async throws -> [BlobInfo]

    /// A URL a client can download from directly (S3 presigned GET), or nil when downloads must
    /// be proxied through the server (folder store).
    func presignedURL(_ key: String, expiresIn: Duration) async throws -> URL?
}

extension BlobStore {
    /// Reads and drops the bytes before `offset`: for stores that cannot start a read part-way.
    public func stream(_ key: String, from offset: Int64) async throws -> BlobStream {
        let whole = try await stream(key)
        guard offset > 0 else { return whole }
        var iterator = whole.chunks.makeAsyncIterator()
        var skip = offset
        let chunks = AsyncThrowingStream<ByteBuffer, any Error>(unfolding: {
            while var chunk = try await iterator.next() {
                if skip >= Int64(chunk.readableBytes) {
                    skip -= Int64(chunk.readableBytes)
                    continue
                }
                chunk.moveReaderIndex(forwardBy: Int(skip))
                skip = 0
                return chunk
            }
            return nil
        })
        return BlobStream(info: whole.info, chunks: chunks)
    }
}

public struct BlobInfo: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var contentType: String?
    public init(key: String, size: Int64, contentType: String? = nil) {
        self.key = key
        self.size = size
        self.contentType = contentType
    }
}

/// A blob's bytes as a stream of chunks plus its size.
public struct BlobStream: Sendable {
    public let info: BlobInfo
    public let chunks: AsyncThrowingStream<ByteBuffer, any Error>
    public init(info: BlobInfo, chunks: AsyncThrowingStream<ByteBuffer, any Error>) {
        self.info = info
        self.chunks = chunks
    }
}

public enum BlobError: Error, Equatable, CustomStringConvertible {
    case invalidKey(String, reason: String)
    case notFound(String)
    case engine(String)
    /// The store did not answer, or answered that it cannot now (5xx): worth trying again later.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidKey(let key, let reason): "invalid blob key \(key.debugDescription): \(reason)"
        case .notFound(let key): "blob not found: \(key)"
        case .engine(let message): "blob store error: \(message)"
        case .unavailable(let message): "blob store unavailable: \(message)"
        }
    }
}
