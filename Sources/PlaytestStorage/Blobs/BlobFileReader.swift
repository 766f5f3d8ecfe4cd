import Foundation
import NIOCore
import NIOPosix

/// Reads an open file chunk by chunk, each read on a thread pool, as a pull-based stream: a chunk
/// is read only when the consumer asks for it, so a slow consumer never makes the file pile up
/// in memory. The file is closed at its end, on a read error, or when the stream is dropped.
final class BlobFileReader: @unchecked Sendable {
    // Mutable state is guarded by `lock`; reads happen one at a time.
    private let lock = NSLock()
    private var fd: Int32?
    private let path: String
    private let threadPool: NIOThreadPool
    private let chunkSize: Int

    init(fd: Int32, path: String, threadPool: NIOThreadPool, chunkSize: Int = BlobFile.chunkSize) {
        self.fd = fd
        self.path = path
        self.threadPool = threadPool
        self.chunkSize = chunkSize
    }

    deinit {
        if let fd { BlobFile.close(fd) }
    }

    /// The remaining bytes as a stream of chunks of at most `chunkSize` bytes.
    func chunks() -> AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream(unfolding: { [self] in try await self.next() })
    }

    /// The next chunk, or nil at the end of the file.
    func next() async throws -> ByteBuffer? {
        try await threadPool.runIfActive { [self] in try self.readNext() }
    }

    private func readNext() throws -> ByteBuffer? {
        lock.lock()
        defer { lock.unlock() }
        guard let fd else { return nil }
        do {
            let chunk = try BlobFile.read(fd, maximum: chunkSize, path: path)
            if chunk.readableBytes > 0 { return chunk }
        } catch {
            closeLocked(fd)
            throw error
        }
        closeLocked(fd)
        return nil
    }

    private func closeLocked(_ fd: Int32) {
        BlobFile.close(fd)
        self.fd = nil
    }
}
