import Foundation

/// Writes a file so that it appears whole or not at all: a hidden temporary file in the same
/// folder is filled, synced to disk and closed, then renamed over the destination (rename within
/// one folder is atomic). On any failure the temporary file is removed and the destination is
/// left as it was. Blocking: run it on a thread pool.
enum BlobAtomicFile {
    static func write(to destination: String, label: String, fill: (Int32, String) throws -> Void) throws {
        let folder = (destination as NSString).deletingLastPathComponent
        try BlobFile.makeDirectories(folder.isEmpty ? "." : folder)
        if BlobFile.isDirectory(destination) {
            throw BlobError.engine("cannot write \(destination): a folder is in the way")
        }
        let temporary = try BlobFile.makeTemporary(in: folder.isEmpty ? "." : folder, label: label)
        var open = true
        do {
            try fill(temporary.fd, temporary.path)
            try BlobFile.sync(temporary.fd, path: temporary.path)
            BlobFile.close(temporary.fd)
            open = false
            try BlobFile.rename(temporary.path, to: destination)
        } catch {
            if open { BlobFile.close(temporary.fd) }
            BlobFile.removeQuietly(temporary.path)
            throw error
        }
    }
}
