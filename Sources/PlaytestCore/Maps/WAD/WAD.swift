/// A WAD file read from bytes: its kind, its lump directory and the maps it holds.
///
/// Reading never traps: every structural problem is a ``WADError`` naming the lump and the offset.
public struct WAD: Sendable {
    public let kind: WADKind
    public let lumps: [Lump]
    public let maps: [MapEntry]
    /// The whole file.
    public let bytes: [UInt8]

    /// Reads the header and directory and detects the maps. Lump data is checked to lie inside the file.
    public init(bytes: [UInt8]) throws(WADError) {
        let reader = LittleEndianReader(bytes)
        guard bytes.count >= 12, let count32 = reader.int32(at: 4), let offset32 = reader.int32(at: 8) else {
            throw .truncatedHeader(size: bytes.count)
        }
        let magic = String(decoding: bytes[0..<4].map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        guard let kind = WADKind(rawValue: magic) else { throw .notAWAD(magic: magic) }
        let count = Int(count32)
        let directoryOffset = Int(offset32)
        guard count >= 0, directoryOffset >= 0 else {
            throw .invalidHeader(lumpCount: count, directoryOffset: directoryOffset)
        }
        let directorySize = count * 16
        guard directoryOffset + directorySize <= bytes.count else {
            throw .directoryPastEOF(directoryOffset: directoryOffset, directorySize: directorySize, fileSize: bytes.count)
        }
        var lumps: [Lump] = []
        lumps.reserveCapacity(count)
        for index in 0..<count {
            let entry = directoryOffset + index * 16
            guard let lumpOffset32 = reader.int32(at: entry), let size32 = reader.int32(at: entry + 4),
                  let name = reader.name8(at: entry + 8)
            else {
                throw .directoryPastEOF(directoryOffset: directoryOffset, directorySize: directorySize, fileSize: bytes.count)
            }
            let lumpOffset = Int(lumpOffset32)
            let size = Int(size32)
            // Zero-size markers may carry any offset; everything else must lie inside the file.
            if size != 0 || lumpOffset < 0 {
                guard lumpOffset >= 0, size >= 0, lumpOffset + size <= bytes.count else {
                    throw .lumpPastEOF(lump: name, index: index, offset: lumpOffset, size: size, fileSize: bytes.count)
                }
            }
            lumps.append(Lump(name: name, offset: lumpOffset, size: size, index: index))
        }
        self.kind = kind
        self.lumps = lumps
        self.bytes = bytes
        self.maps = MapDetector.detect(in: lumps)
    }

    /// The data of one lump. Safe: the directory was validated when the WAD was read.
    public func data(of lump: Lump) -> ArraySlice<UInt8> {
        guard lump.size > 0 else { return [] }
        return bytes[lump.offset..<(lump.offset + lump.size)]
    }

    /// The map with this marker name (case-insensitive), if present.
    public func map(named name: String) -> MapEntry? {
        let wanted = name.uppercased()
        return maps.first { $0.name.uppercased() == wanted }
    }

    /// The first lump with this name inside the map's lump range.
    public func lump(_ name: String, in map: MapEntry) -> Lump? {
        for index in map.lumpRange where index < lumps.count && lumps[index].name == name {
            return lumps[index]
        }
        return nil
    }

    /// The last lump with this name in the whole directory (later lumps override earlier ones).
    public func lastLump(named name: String) -> Lump? {
        lumps.last { $0.name == name }
    }
}
