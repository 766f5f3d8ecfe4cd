import Foundation
import NIOCore

/// A blob store whose calls are timed into ``EngineLatency`` (`engine="blobs"`, the call as `operation`). A stream is
/// timed to its first byte's readiness, not to its end, which the reader decides.
struct TimedBlobStore: BlobStore {
    let base: any BlobStore

    var engineName: String { base.engineName }

    private func timed<T>(_ operation: String, _ body: () async throws -> T) async rethrows -> T {
        try await EngineLatency.measure("blobs", operation, body)
    }

    func ping() async throws { try await timed("ping") { try await base.ping() } }
    func put(_ key: String, fileAt path: String, contentType: String?) async throws -> BlobInfo {
        try await timed("put") { try await base.put(key, fileAt: path, contentType: contentType) }
    }
    func put(files: [BlobUpload]) async throws -> [BlobInfo] { try await timed("put_batch") { try await base.put(files: files) } }
    func put(_ key: String, bytes: ByteBuffer, contentType: String?) async throws -> BlobInfo {
        try await timed("put") { try await base.put(key, bytes: bytes, contentType: contentType) }
    }
    func download(_ key: String, toFile path: String) async throws -> BlobInfo {
        try await timed("get") { try await base.download(key, toFile: path) }
    }
    func stream(_ key: String) async throws -> BlobStream { try await timed("stream") { try await base.stream(key) } }
    func stream(_ key: String, from offset: Int64) async throws -> BlobStream {
        try await timed("stream") { try await base.stream(key, from: offset) }
    }
    func get(_ key: String) async throws -> ByteBuffer { try await timed("get") { try await base.get(key) } }
    func head(_ key: String) async throws -> BlobInfo? { try await timed("head") { try await base.head(key) } }
    func exists(_ key: String) async throws -> Bool { try await timed("head") { try await base.exists(key) } }
    func delete(_ key: String) async throws { try await timed("delete") { try await base.delete(key) } }
    func list(prefix: String) async throws -> [BlobInfo] { try await timed("list") { try await base.list(prefix: prefix) } }
    func presignedURL(_ key: String, expiresIn: Duration) async throws -> URL? {
        try await base.presignedURL(key, expiresIn: expiresIn)  // signing is local: no engine call to time
    }
}
