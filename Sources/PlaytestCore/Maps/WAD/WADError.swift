/// Everything that can be wrong with a WAD file or one of its maps.
///
/// Every case names the lump (when there is one) and the byte offset in the file where the problem
/// was found, so a level designer can open the file in an editor and see it.
public enum WADError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is shorter than the 12-byte WAD header.
    case truncatedHeader(size: Int)
    /// The first four bytes are neither `IWAD` nor `PWAD`.
    case notAWAD(magic: String)
    /// The header declares a negative lump count or directory offset.
    case invalidHeader(lumpCount: Int, directoryOffset: Int)
    /// The lump directory reaches past the end of the file.
    case directoryPastEOF(directoryOffset: Int, directorySize: Int, fileSize: Int)
    /// A lump's data reaches past the end of the file (or has a negative offset or size).
    case lumpPastEOF(lump: String, index: Int, offset: Int, size: Int, fileSize: Int)
    /// The WAD contains no map at all.
    case noMaps
    /// The map named is not in this WAD.
    case mapNotFound(name: String)
    /// A map is missing one of the lumps its format needs.
    case missingLump(map: String, lump: String)
    /// A lump's size is not a whole number of records.
    case recordSizeMismatch(map: String, lump: String, offset: Int, size: Int, recordSize: Int)
    /// A record refers to an element that does not exist (a vertex, a sidedef or a sector).
    case indexOutOfRange(map: String, lump: String, offset: Int, record: Int, field: String, value: Int, count: Int)
    /// A UDMF TEXTMAP that does not follow the grammar.
    case udmfSyntax(map: String, lump: String, offset: Int, line: Int, message: String)
    /// A UDMF value that is syntactically fine but unusable (a coordinate that is not finite, a number too large).
    case udmfValue(map: String, lump: String, offset: Int, line: Int, message: String)

    public var description: String {
        switch self {
        case let .truncatedHeader(size):
            return "The file is \(size) bytes long, too short for a WAD header (12 bytes). It is not a WAD or it was cut off."
        case let .notAWAD(magic):
            return "The file does not start with IWAD or PWAD (it starts with \"\(magic)\"). It is not a WAD file."
        case let .invalidHeader(count, offset):
            return "The WAD header is corrupt: lump count \(count), directory offset \(offset)."
        case let .directoryPastEOF(offset, size, fileSize):
            return "The lump directory (offset \(offset), \(size) bytes) reaches past the end of the file (\(fileSize) bytes). The WAD is truncated."
        case let .lumpPastEOF(lump, index, offset, size, fileSize):
            return "Lump \(lump) (entry \(index)) at offset \(offset) with \(size) bytes reaches past the end of the file (\(fileSize) bytes). The WAD is truncated or corrupt."
        case .noMaps:
            return "The WAD contains no maps: no map marker followed by THINGS/LINEDEFS/... or TEXTMAP lumps."
        case let .mapNotFound(name):
            return "The WAD has no map named \(name)."
        case let .missingLump(map, lump):
            return "Map \(map) has no \(lump) lump."
        case let .recordSizeMismatch(map, lump, offset, size, recordSize):
            return "Map \(map): lump \(lump) at offset \(offset) is \(size) bytes, not a multiple of its \(recordSize)-byte record size."
        case let .indexOutOfRange(map, lump, offset, record, field, value, count):
            return "Map \(map): \(lump) record \(record) (file offset \(offset)) has \(field) \(value), but there are only \(count)."
        case let .udmfSyntax(map, lump, offset, line, message):
            return "Map \(map): \(lump) line \(line) (file offset \(offset)): \(message)"
        case let .udmfValue(map, lump, offset, line, message):
            return "Map \(map): \(lump) line \(line) (file offset \(offset)): \(message)"
        }
    }
}
