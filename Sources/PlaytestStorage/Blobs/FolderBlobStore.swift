import Foundation
import NIOCore
import NIOPosix

/// The embedded blob store: each blob is a file under `root`, at the path its key names.
///
/// - Writes are atomic: bytes go to a hidden temporary file in the blob's own folder, are synced
///   to disk, and only then renamed over the key, so a reader sees the old blob or the new one,
///   never a partial file, and a failed put leaves nothing at the key. `put(files:)` syncs a batch
///   together (`BlobAtomicBatch`): every file, then each folder once.
/// - Keys are checked by `BlobKey` before any file is touched: no key reaches outside `root`.
/// - All file I/O runs on a thread pool, never on the caller's event loop.
/// - A content type given to `put` is kept in a hidden sidecar file next to the blob and returned
///   by `head`, `stream` and `download`, unless it is the usual type of the key's extension
///   (`usualContentTypes`): then no sidecar is written (one file and one fsync fewer per screenshot,
///   demo or WAD) and the usual type is returned. `list` reports keys and sizes only (as S3 does).
/// - Downloads are proxied by the server: `presignedURL` is nil.
public struct FolderBlobStore: BlobStore {
    public let root: String
    private let threadPool: NIOThreadPool

    public var engineName: String { "folder" }

    /// - Parameters:
    ///   - root: the folder holding the blobs; created on first write (or by `ping`).
    ///   - threadPool: where the blocking file I/O runs.
    /// - Throws: `BlobError.engine` when `root` is empty, contains NUL, or names an existing file
    ///   that is not a folder.
    public init(root: String, threadPool: NIOThreadPool = .singleton) throws(BlobError) {
        guard !root.isEmpty, !root.contains("\0") else {
            throw .engine("the blob folder \(root.debugDescription) is not a usable path")
        }
        let standardized = URL(fileURLWithPath: root).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: standardized), !BlobFile.isDirectory(standardized) {
            throw .engine("the blob folder \(standardized) exists but is not a folder")
        }
        self.root = standardized
        self.threadPool = threadPool
    }

    public func ping() async throws {
        let root = self.root
        try await threadPool.runIfActive {
            try BlobFile.makeDirectories(root)
            let probe = try BlobFile.makeTemporary(in: root, label: "ping")
            BlobFile.close(probe.fd)
            try BlobFile.remove(probe.path)
        }
    }

    // MARK: Writing

    public func put(_ key: String, fileAt path: String, contentType: String?) async throws -> BlobInfo {
        try await put(files: [BlobUpload(key: key, path: path, contentType: contentType)])[0]
    }

    public func put(files: [BlobUpload]) async throws -> [BlobInfo] {
        let targets = try files.map { try location(of: $0.key) }
        return try await threadPool.runIfActive {
            var batch = BlobAtomicBatch()
            defer { batch.discard() }
            var stored: [BlobInfo] = []
            for (file, target) in zip(files, targets) {
                guard let source = try BlobFile.openForReading(file.path) else {
                    throw BlobError.engine("cannot upload \(file.path): the file does not exist")
                }
                defer { BlobFile.close(source) }
                let expected = try BlobFile.size(of: source, path: file.path)
                try Self.stage(target, contentType: file.contentType, in: &batch) { batch in
                    // The file itself when it is on this filesystem (a run's screenshots and demos): a new inode for
                    // each copy was the worker's largest cost in a test run on ext4 (1.2 s of kernel time in 3.5-4 s).
                    if file.finished, try batch.stage(linking: file.path, to: target.data, label: "incoming") { return }
                    try batch.stage(to: target.data, label: "incoming") { fd, temporary in
                        let copied = try BlobFile.copy(source, path: file.path, to: fd, path: temporary)
                        guard copied == expected else {
                            throw BlobError.engine("\(file.path) changed size while it was being stored (\(expected) → \(copied) bytes)")
                        }
                    }
                }
                stored.append(BlobInfo(key: file.key, size: expected, contentType: file.contentType))
            }
            try batch.commit()
            return stored
        }
    }

    public func put(_ key: String, bytes: ByteBuffer, contentType: String?) async throws -> BlobInfo {
        let target = try location(of: key)
        return try await threadPool.runIfActive {
            var batch = BlobAtomicBatch()
            defer { batch.discard() }
            try Self.stage(target, contentType: contentType, in: &batch) { batch in
                try batch.stage(to: target.data, label: "incoming") { fd, temporary in try BlobFile.writeAll(fd, bytes, path: temporary) }
            }
            try batch.commit()
            return BlobInfo(key: key, size: Int64(bytes.readableBytes), contentType: contentType)
        }
    }

    // MARK: Reading

    public func download(_ key: String, toFile path: String) async throws -> BlobInfo {
        let source = try location(of: key)
        return try await threadPool.runIfActive {
            guard let fd = try BlobFile.openForReading(source.data) else { throw BlobError.notFound(key) }
            defer { BlobFile.close(fd) }
            let destination = URL(fileURLWithPath: path).standardizedFileURL.path
            let size = try BlobFile.size(of: fd, path: source.data)
            try BlobAtomicBatch.write(to: destination, label: "download") { out, temporary in
                guard try BlobFile.copy(fd, path: source.data, to: out, path: temporary) == size else {
                    throw BlobError.engine("blob \(key) changed while it was being read")
                }
            }
            return BlobInfo(key: key, size: size, contentType: Self.contentType(at: source))
        }
    }

    public func stream(_ key: String) async throws -> BlobStream {
        try await stream(key, from: 0)
    }

    public func stream(_ key: String, from offset: Int64) async throws -> BlobStream {
        let source = try location(of: key)
        let pool = threadPool
        let (fd, info) = try await pool.runIfActive { () throws -> (Int32, BlobInfo) in
            guard let fd = try BlobFile.openForReading(source.data) else { throw BlobError.notFound(key) }
            do {
                let size = try BlobFile.size(of: fd, path: source.data)
                if offset > 0 && lseek(fd, off_t(min(offset, size)), SEEK_SET) < 0 { throw BlobFile.failure("seek \(source.data)", errno) }
                return (fd, BlobInfo(key: key, size: size, contentType: Self.contentType(at: source)))
            } catch {
                BlobFile.close(fd)
                throw error
            }
        }
        let reader = BlobFileReader(fd: fd, path: source.data, threadPool: pool)
        return BlobStream(info: info, chunks: reader.chunks())
    }

    public func get(_ key: String) async throws -> ByteBuffer {
        let source = try location(of: key)
        return try await threadPool.runIfActive {
            guard let fd = try BlobFile.openForReading(source.data) else { throw BlobError.notFound(key) }
            defer { BlobFile.close(fd) }
            let size = try BlobFile.size(of: fd, path: source.data)
            var whole = ByteBufferAllocator().buffer(capacity: Int(size))
            while true {
                var chunk = try BlobFile.read(fd, path: source.data)
                if chunk.readableBytes == 0 { return whole }
                whole.writeBuffer(&chunk)
            }
        }
    }

    public func head(_ key: String) async throws -> BlobInfo? {
        let source = try location(of: key)
        return try await threadPool.runIfActive {
            guard let size = try BlobFile.regularFileSize(at: source.data) else { return nil }
            return BlobInfo(key: key, size: size, contentType: Self.contentType(at: source))
        }
    }

    public func exists(_ key: String) async throws -> Bool {
        try await head(key) != nil
    }

    public func delete(_ key: String) async throws {
        let target = try location(of: key)
        try await threadPool.runIfActive {
            try BlobFile.remove(target.data)
            try BlobFile.remove(target.contentType)
        }
    }

    public func list(prefix: String) async throws -> [BlobInfo] {
        try BlobKey.validatePrefix(prefix)
        let root = self.root
        return try await threadPool.runIfActive {
            // Start at the deepest folder the prefix names in full ("maps/a" → "maps").
            let folder = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            var found: [BlobInfo] = []
            try Self.walk(root: root, folder: folder, prefix: prefix, into: &found)
            return found.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        }
    }

    public func presignedURL(_ key: String, expiresIn: Duration) async throws -> URL? {
        try BlobKey.validate(key)
        return nil
    }

    // MARK: Layout

    /// Where a blob and its content-type sidecar live.
    struct Location: Sendable {
        var data: String
        var contentType: String
        var folder: String
    }

    func location(of key: String) throws(BlobError) -> Location {
        let segments = try BlobKey.validate(key)
        let name = segments.last.map(String.init) ?? key
        let folder = ([root] + segments.dropLast().map(String.init)).joined(separator: "/")
        return Location(data: "\(folder)/\(name)", contentType: "\(folder)/.\(name).content-type", folder: folder)
    }

    /// The content types the platform's own files have, by extension.
    static let usualContentTypes = ["wad": "application/x-doom-wad", "png": "image/png", "lmp": "application/x-doom-demo"]

    static func usualContentType(of location: Location) -> String? {
        let name = (location.data as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return usualContentTypes[name[name.index(after: dot)...].lowercased()]
    }

    private static func contentType(at location: Location) -> String? {
        guard let data = FileManager.default.contents(atPath: location.contentType) else { return usualContentType(of: location) }
        let value = String(decoding: data, as: UTF8.self)
        return value.isEmpty ? nil : value
    }

    /// Stages the blob (by `data`) and its content type in `batch`; a blob without a content type, or with its
    /// extension's usual one, loses its old sidecar once the batch is committed.
    private static func stage(
        _ target: Location, contentType: String?, in batch: inout BlobAtomicBatch, data: (inout BlobAtomicBatch) throws -> Void
    ) throws {
        try data(&batch)
        if let contentType, contentType != usualContentType(of: target) {
            try batch.stage(to: target.contentType, label: "incoming") { fd, temporary in
                try BlobFile.writeAll(fd, ByteBuffer(string: contentType), path: temporary)
            }
        } else {
            batch.remove(afterCommit: target.contentType)
        }
    }

    private static func walk(root: String, folder: String, prefix: String, into found: inout [BlobInfo]) throws {
        let path = folder.isEmpty ? root : "\(root)/\(folder)"
        for name in try BlobFile.entries(of: path) where !name.hasPrefix(".") {
            let key = folder.isEmpty ? name : "\(folder)/\(name)"
            let full = "\(path)/\(name)"
            if BlobFile.isDirectory(full) {
                // Descend only where keys under this folder can still match the prefix.
                let folderKey = key + "/"
                if folderKey.utf8.starts(with: prefix.utf8) || prefix.utf8.starts(with: folderKey.utf8) {
                    try walk(root: root, folder: key, prefix: prefix, into: &found)
                }
            } else if key.utf8.starts(with: prefix.utf8), let size = try BlobFile.regularFileSize(at: full) {
                found.append(BlobInfo(key: key, size: size))
            }
        }
    }
}
