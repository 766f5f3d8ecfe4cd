import Crypto
import Foundation

/// The blob part of a backup: every blob copied into `<folder>/blobs/<key>` with its size and sha256, and copied back.
enum BlobSnapshot {
    static let folderName = "blobs"

    static func copyOut(_ store: any BlobStore, to folder: String) async throws -> [BackupManifest.Blob] {
        var copied: [BackupManifest.Blob] = []
        for info in try await store.list(prefix: "") {
            let path = folder + "/" + folderName + "/" + info.key
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let stored: BlobInfo
            do {
                stored = try await store.download(info.key, toFile: path)
            } catch BlobError.notFound {
                continue  // deleted since it was listed
            }
            copied.append(.init(key: info.key, size: stored.size, sha256: try sha256(ofFileAt: path), contentType: stored.contentType ?? info.contentType))
        }
        return copied
    }

    /// Throws when a blob of the backup is missing or is not what the manifest says.
    static func check(_ blobs: [BackupManifest.Blob], in folder: String) throws {
        for blob in blobs {
            let path = folder + "/" + folderName + "/" + blob.key
            guard FileManager.default.fileExists(atPath: path) else { throw BackupError.invalid("the backup lacks blob \(blob.key) (\(path))") }
            let hash = try sha256(ofFileAt: path)
            guard hash == blob.sha256 else {
                throw BackupError.invalid("blob \(blob.key) in the backup is damaged: sha256 \(hash), the manifest says \(blob.sha256)")
            }
        }
    }

    /// Copies the backup's blobs (checked by ``check(_:in:)``) into `store`.
    static func copyIn(_ blobs: [BackupManifest.Blob], from folder: String, into store: any BlobStore) async throws {
        for blob in blobs {
            _ = try await store.put(blob.key, fileAt: folder + "/" + folderName + "/" + blob.key, contentType: blob.contentType)
        }
    }

    /// The sha256 of a stored blob, read back from the store; nil when it is not there.
    static func sha256(of key: String, in store: any BlobStore) async throws -> String? {
        let stream: BlobStream
        do {
            stream = try await store.stream(key)
        } catch BlobError.notFound {
            return nil
        }
        var hasher = SHA256()
        for try await chunk in stream.chunks { hasher.update(data: chunk.readableBytesView) }
        return hex(hasher.finalize())
    }

    static func sha256(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError.invalid("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
