import Foundation
import NIOCore
import PlaytestStorage

/// A stored file (a WAD, a screenshot, a demo, a checkpoint) ready to hand to a client: a short-lived link to the
/// object store when it can give one (S3), else its bytes as a stream.
public enum StoredFile: Sendable {
    case redirect(URL)
    /// `chunks` are the bytes from the start; `from` opens the file again at an offset (a Range request).
    case stream(size: Int64, chunks: AsyncThrowingStream<ByteBuffer, any Error>,
                from: @Sendable (Int64) async throws -> AsyncThrowingStream<ByteBuffer, any Error>)

    /// How long a redirect link stays valid.
    static let linkLifetime: Duration = .seconds(900)

    /// Opens the blob under `key`; ``FileError/missing(_:)`` when the store does not have it.
    static func open(_ key: String, named name: String, in blobs: any BlobStore) async throws -> StoredFile {
        if let url = try await blobs.presignedURL(key, expiresIn: linkLifetime) { return .redirect(url) }
        do {
            let stream = try await blobs.stream(key)
            return .stream(size: stream.info.size, chunks: stream.chunks, from: { offset in try await blobs.stream(key, from: offset).chunks })
        } catch BlobError.notFound {
            throw FileError.missing(name)
        }
    }
}

/// A file a row points at that the blob store does not have.
public enum FileError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let name): "the file \(name) is missing from the blob store"
        }
    }
}
