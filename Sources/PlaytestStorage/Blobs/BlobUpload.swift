/// One local file to store under a key (see `BlobStore.put(files:)`).
public struct BlobUpload: Sendable, Hashable {
    public var key: String
    public var path: String
    public var contentType: String?

    public init(key: String, path: String, contentType: String?) {
        self.key = key
        self.path = path
        self.contentType = contentType
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
