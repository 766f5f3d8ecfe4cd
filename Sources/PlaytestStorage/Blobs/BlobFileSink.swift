import Foundation
import NIOCore
import NIOPosix

/// Writes chunks that arrive asynchronously (a network download) into a file atomically: a
/// hidden temporary file next to the destination is filled, synced and renamed over it on
/// `commit`; `abort` removes it. Each step runs on the thread pool.
final class BlobFileSink: @unchecked Sendable {
    // `fd` changes only in commit/abort; the caller uses a sink from one task at a time.
    private var fd: Int32?
    private let temporary: String
    private let destination: String
    private let threadPool: NIOThreadPool
    private(set) var written: Int64 = 0

    private init(fd: Int32, temporary: String, destination: String, threadPool: NIOThreadPool) {
        self.fd = fd
        self.temporary = temporary
        self.destination = destination
        self.threadPool = threadPool
    }

    deinit {
        if let fd {
            BlobFile.close(fd)
            BlobFile.removeQuietly(temporary)
        }
    }

    static func create(at path: String, threadPool: NIOThreadPool) async throws -> BlobFileSink {
        let destination = URL(fileURLWithPath: path).standardizedFileURL.path
        let (fd, temporary) = try await threadPool.runIfActive { () throws -> (Int32, String) in
            let folder = (destination as NSString).deletingLastPathComponent
            try BlobFile.makeDirectories(folder)
            if BlobFile.isDirectory(destination) {
                throw BlobError.engine("cannot write \(destination): a folder is in the way")
            }
            let made = try BlobFile.makeTemporary(in: folder, label: "download")
            return (made.fd, made.path)
        }
        return BlobFileSink(fd: fd, temporary: temporary, destination: destination, threadPool: threadPool)
    }

    func write(_ chunk: ByteBuffer) async throws {
        guard let fd else { throw BlobError.engine("internal error: write to a finished download of \(destination)") }
        let temporary = self.temporary
        try await threadPool.runIfActive { try BlobFile.writeAll(fd, chunk, path: temporary) }
        written += Int64(chunk.readableBytes)
    }

    func commit() async throws {
        guard let fd else { throw BlobError.engine("internal error: download of \(destination) already finished") }
        self.fd = nil
        let (temporary, destination) = (self.temporary, self.destination)
        try await threadPool.runIfActive {
            var open = true
            do {
                try BlobFile.sync(fd, path: temporary)
                BlobFile.close(fd)
                open = false
                try BlobFile.rename(temporary, to: destination)
            } catch {
                if open { BlobFile.close(fd) }
                BlobFile.removeQuietly(temporary)
                throw error
            }
        }
    }

    func abort() async {
        guard let fd else { return }
        self.fd = nil
        let temporary = self.temporary
        _ = try? await threadPool.runIfActive {
            BlobFile.close(fd)
            BlobFile.removeQuietly(temporary)
        }
    }
}
