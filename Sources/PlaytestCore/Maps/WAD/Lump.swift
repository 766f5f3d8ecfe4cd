/// One entry of a WAD's lump directory.
public struct Lump: Sendable, Hashable, Codable {
    /// The lump's name (up to 8 characters, as stored).
    public let name: String
    /// Byte offset of the lump's data in the file.
    public let offset: Int
    /// Size of the lump's data in bytes.
    public let size: Int
    /// Position of the lump in the directory.
    public let index: Int

    public init(name: String, offset: Int, size: Int, index: Int) {
        self.name = name
        self.offset = offset
        self.size = size
        self.index = index
    }
}

/// Whether a WAD is a complete game (IWAD) or a patch on top of one (PWAD).
public enum WADKind: String, Sendable, Codable {
    case iwad = "IWAD"
    case pwad = "PWAD"
}
