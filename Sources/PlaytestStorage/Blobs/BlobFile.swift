import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking POSIX file operations used by the blob stores. Every function here blocks its thread,
/// so callers run them on a thread pool (`NIOThreadPool`), never on an event loop.
enum BlobFile {
    /// Size of the chunks files are copied and streamed in.
    static let chunkSize = 64 * 1024

    /// Opens `path` for reading; nil when it does not exist.
    static func openForReading(_ path: String) throws(BlobError) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { return fd }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw failure("open \(path) for reading", code)
    }

    /// The size of an open regular file; throws when it is not a regular file.
    static func size(of fd: Int32, path: String) throws(BlobError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat \(path)", errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .engine("\(path) is not a regular file")
        }
        return Int64(info.st_size)
    }

    /// Size of the regular file at `path` (symbolic links are not followed); nil when absent or
    /// not a regular file.
    static func regularFileSize(at path: String) throws(BlobError) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw failure("stat \(path)", code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Reads up to `maximum` bytes; an empty buffer means end of file.
    static func read(_ fd: Int32, maximum: Int = chunkSize, path: String) throws(BlobError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: maximum)
        while true {
            var count = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximum) { raw in
                count = posixRead(fd, raw.baseAddress, min(maximum, raw.count))
                return max(count, 0)
            }
            if count >= 0 { return buffer }
            let code = errno
            if code == EINTR { continue }
            throw failure("read \(path)", code)
        }
    }

    static func writeAll(_ fd: Int32, _ buffer: ByteBuffer, path: String) throws(BlobError) {
        var remaining = buffer
        while remaining.readableBytes > 0 {
            let written = remaining.withUnsafeReadableBytes { raw in
                posixWrite(fd, raw.baseAddress, raw.count)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw failure("write \(path)", code)
            }
            remaining.moveReaderIndex(forwardBy: written)
        }
    }

    /// Copies what is left of `source` into `destination` in chunks; returns the number of bytes copied.
    static func copy(_ source: Int32, path sourcePath: String, to destination: Int32, path destinationPath: String) throws(BlobError) -> Int64 {
        var copied: Int64 = 0
        while true {
            let chunk = try read(source, path: sourcePath)
            if chunk.readableBytes == 0 { return copied }
            try writeAll(destination, chunk, path: destinationPath)
            copied += Int64(chunk.readableBytes)
        }
    }

    static func sync(_ fd: Int32, path: String) throws(BlobError) {
        guard fsync(fd) == 0 else { throw failure("fsync \(path)", errno) }
    }

    static func close(_ fd: Int32) {
        _ = posixClose(fd)
    }

    /// Creates the folder and its missing parents.
    static func makeDirectories(_ path: String) throws(BlobError) {
        if isDirectory(path) { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != "/" {
            try makeDirectories(parent)
        }
        if mkdir(path, 0o755) != 0 {
            let code = errno
            if code == EEXIST, isDirectory(path) { return }
            throw failure("create folder \(path)", code)
        }
    }

    /// Creates a new empty file with a unique hidden name in `directory`; returns its descriptor
    /// and path. The name starts with '.', which no blob key may, so it never shows up as a blob.
    static func makeTemporary(in directory: String, label: String) throws(BlobError) -> (fd: Int32, path: String) {
        var template = Array("\(directory)/.\(label)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { pointer -> Int32 in
            guard let base = pointer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw failure("create a temporary file in \(directory)", errno) }
        // mkstemp replaced the X's in place; the array still ends with its NUL terminator.
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (fd, path)
    }

    /// A new hidden name in `directory` for `source`'s file (a hard link: no data copied, no inode made), opened for
    /// reading; nil when the file cannot be linked there (another filesystem, or one without hard links).
    static func linkTemporary(to source: String, in directory: String, label: String) throws(BlobError) -> (fd: Int32, path: String)? {
        for _ in 0..<8 {
            let path = "\(directory)/.\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            // Following a symbolic link, as the copy's open would.
            guard linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 else {
                let code = errno
                if code == EEXIST { continue }
                if code == ENOENT || code == ENOTDIR { throw .engine("cannot upload \(source): the file does not exist") }
                if [EXDEV, EPERM, EMLINK, EACCES, ENOTSUP, EOPNOTSUPP].contains(code) { return nil }
                throw failure("link \(source) into \(directory)", code)
            }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                removeQuietly(path)
                throw failure("open \(path)", code)
            }
            return (fd, path)
        }
        throw .engine("cannot link \(source) into \(directory): no free temporary name")
    }

    /// Whether two paths name one file (the same inode on the same device).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// Atomically replaces `destination` with `source`, then (unless the caller syncs the folder
    /// itself, once for many renames) makes the rename durable.
    static func rename(_ source: String, to destination: String, syncFolder: Bool = true) throws(BlobError) {
        guard posixRename(source, destination) == 0 else {
            throw failure("rename \(source) to \(destination)", errno)
        }
        if syncFolder { syncDirectory((destination as NSString).deletingLastPathComponent) }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws(BlobError) {
        if unlink(path) == 0 { return }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return }
        throw failure("delete \(path)", code)
    }

    /// Removes a file, ignoring every error (cleanup after a failure).
    static func removeQuietly(_ path: String) {
        _ = unlink(path)
    }

    /// Names in a folder, without "." and ".."; empty when the folder does not exist.
    static func entries(of directory: String) throws(BlobError) -> [String] {
        guard let handle = opendir(directory) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return [] }
            throw failure("list folder \(directory)", code)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Flushes a folder's entries (a rename inside it) to disk; best effort.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = posixClose(fd)
    }

    static func failure(_ operation: String, _ code: Int32) -> BlobError {
        .engine("cannot \(operation): \(String(cString: strerror(code)))")
    }
}

// `BlobFile` declares functions named like the C calls; these wrappers reach the C ones.
@inline(__always) private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always) private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}

@inline(__always) private func posixClose(_ fd: Int32) -> Int32 {
    close(fd)
}

@inline(__always) private func posixRename(_ source: String, _ destination: String) -> Int32 {
    rename(source, destination)
}
