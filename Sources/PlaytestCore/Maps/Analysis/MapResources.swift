/// The wall texture and flat names a map may use, read from WAD lumps.
///
/// Textures come from TEXTURE1/TEXTURE2 and lumps between TX_START/TX_END; flats from lumps between
/// F_START/F_END (and FF_START/FF_END). A PWAD usually relies on its IWAD: pass both WADs, IWAD first.
/// Names compare case-insensitively. When a set is empty, the unknown-name check for it is skipped.
public struct MapResources: Sendable {
    public var textures: Set<String>
    public var flats: Set<String>

    public init(textures: Set<String>, flats: Set<String>) {
        self.textures = Set(textures.map { $0.uppercased() })
        self.flats = Set(flats.map { $0.uppercased() })
    }

    public init(wads: [WAD]) {
        var textures = Set<String>()
        var flats = Set<String>()
        for wad in wads {
            for lump in wad.lumps where lump.name == "TEXTURE1" || lump.name == "TEXTURE2" {
                textures.formUnion(Self.textureNames(in: wad.data(of: lump)))
            }
            var inFlats = false
            var inTextures = false
            for lump in wad.lumps {
                switch lump.name {
                case "F_START", "FF_START": inFlats = true
                case "F_END", "FF_END": inFlats = false
                case "TX_START": inTextures = true
                case "TX_END": inTextures = false
                default:
                    if inFlats, lump.size > 0 { flats.insert(lump.name.uppercased()) }
                    if inTextures, lump.size > 0 { textures.insert(lump.name.uppercased()) }
                }
            }
        }
        self.textures = textures
        self.flats = flats
    }

    /// Adds the names another set of resources knows (e.g. the IWAD's, under a PWAD's own).
    public mutating func formUnion(_ other: MapResources) {
        textures.formUnion(other.textures)
        flats.formUnion(other.flats)
    }

    public func knowsTexture(_ name: String) -> Bool { textures.isEmpty || textures.contains(name.uppercased()) }

    public func knowsFlat(_ name: String) -> Bool {
        flats.isEmpty || flats.contains(name.uppercased()) || name.uppercased() == "F_SKY1"
    }

    /// Names in a TEXTURE1/TEXTURE2 lump: a count, an offset table, then 8-byte names at each offset.
    static func textureNames(in data: ArraySlice<UInt8>) -> [String] {
        let reader = LittleEndianReader(Array(data))
        guard let count32 = reader.int32(at: 0), count32 > 0 else { return [] }
        var names: [String] = []
        for index in 0..<min(Int(count32), data.count / 4) {
            guard let offset = reader.int32(at: 4 + index * 4), let name = reader.name8(at: Int(offset)) else { continue }
            names.append(name.uppercased())
        }
        return names
    }
}
