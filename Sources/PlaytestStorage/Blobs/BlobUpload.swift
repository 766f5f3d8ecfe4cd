/// One local file to store under a key (see `BlobStore.put(files:)`).
public struct BlobUpload: Sendable, Hashable {
    public var key: String
    public var path: String
    public var contentType: String?
    /// The file is never written again (a run's screenshot, demo or video in its workspace): a folder store on the same
    /// filesystem may keep the file itself (a hard link) instead of a copy. Never for a file the caller does not own:
    /// a user's WAD edited in place would change the stored blob.
    public var finished: Bool

    public init(key: String, path: String, contentType: String?, finished: Bool = false) {
        self.key = key
        self.path = path
        self.contentType = contentType
        self.finished = finished
    }
}

extension BlobStore {
    /// Stores the files one after the other (stores without a cheaper batch path).
    public func put(files: [BlobUpload]) async throws -> [BlobInfo] {
        var stored: [BlobInfo] = []
        for file in files { stored.append(try await put(file.key, fileAt: file.path, contentType: file.contentType)) }
        return stored
    }
}
