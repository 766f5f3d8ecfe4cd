import Foundation

/// Writes files so that each appears whole or not at all, and makes a whole batch durable together.
///
/// `stage` fills a hidden temporary file in the destination's folder. `commit` syncs every staged file,
/// renames each over its destination (a rename within one folder is atomic), then syncs each folder once:
/// one folder sync per batch instead of one per file, which is what makes a batch of a run's screenshots
/// and demos cheap. Until `commit` the destinations are untouched; `discard` removes whatever was staged
/// and not committed. Blocking: run it on a thread pool.
struct BlobAtomicBatch {
    private struct Staged {
        var fd: Int32?
        var temporary: String
        var destination: String
    }

    private var staged: [Staged] = []
    /// Files to delete once the batch is in place (a content-type sidecar a blob no longer has).
    private var removals: [String] = []

    /// Writes one file through `fill(fd, temporaryPath)` into a temporary file next to `destination`.
    mutating func stage(to destination: String, label: String, fill: (Int32, String) throws -> Void) throws {
        let folder = try Self.folder(of: destination)
        let temporary = try BlobFile.makeTemporary(in: folder, label: label)
        staged.append(Staged(fd: temporary.fd, temporary: temporary.path, destination: destination))
        try fill(temporary.fd, temporary.path)
    }

    /// Stages `source`'s file itself as `destination` (a hard link next to it; the source stays): false when it cannot be
    /// linked there (another filesystem), for the caller to copy it. Already in place (the same file), nothing is staged.
    mutating func stage(linking source: String, to destination: String, label: String) throws -> Bool {
        let folder = try Self.folder(of: destination)
        if BlobFile.sameFile(source, destination) { return true }
        guard let temporary = try BlobFile.linkTemporary(to: source, in: folder, label: label) else { return false }
        staged.append(Staged(fd: temporary.fd, temporary: temporary.path, destination: destination))
        return true
    }

    /// The destination's folder, made if missing; throws when a folder stands where the file goes.
    private static func folder(of destination: String) throws -> String {
        let parent = (destination as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        try BlobFile.makeDirectories(folder)
        if BlobFile.isDirectory(destination) {
            throw BlobError.engine("cannot write \(destination): a folder is in the way")
        }
        return folder
    }

    /// Deletes `path` after the batch is committed (a missing file is fine).
    mutating func remove(afterCommit path: String) {
        removals.append(path)
    }

    /// Syncs and closes every staged file, renames each over its destination, syncs each folder once,
    /// then does the removals. On a failure the files not yet renamed are removed.
    mutating func commit() throws {
        for index in staged.indices {
            guard let fd = staged[index].fd else { continue }
            try BlobFile.sync(fd, path: staged[index].temporary)
            BlobFile.close(fd)
            staged[index].fd = nil
        }
        var folders: [String] = []
        while let file = staged.first {
            try BlobFile.rename(file.temporary, to: file.destination, syncFolder: false)
            staged.removeFirst()
            let folder = (file.destination as NSString).deletingLastPathComponent
            if !folders.contains(folder) { folders.append(folder) }
        }
        for folder in folders { BlobFile.syncDirectory(folder) }
        for path in removals { try BlobFile.remove(path) }
        removals = []
    }

    /// Closes and removes every staged file not committed.
    mutating func discard() {
        for file in staged {
            if let fd = file.fd { BlobFile.close(fd) }
            BlobFile.removeQuietly(file.temporary)
        }
        staged = []
        removals = []
    }

    /// One file, written atomically and durably.
    static func write(to destination: String, label: String, fill: (Int32, String) throws -> Void) throws {
        var batch = BlobAtomicBatch()
        defer { batch.discard() }
        try batch.stage(to: destination, label: label, fill: fill)
        try batch.commit()
    }
}
