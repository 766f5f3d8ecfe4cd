/// The three map formats a WAD can hold.
public enum MapFormat: String, Sendable, Codable, CaseIterable {
    /// Vanilla Doom binary lumps: 10-byte things, 14-byte linedefs.
    case doom
    /// Hexen binary lumps: 20-byte things, 16-byte linedefs with specials and args, a BEHAVIOR lump.
    case hexen
    /// Universal Doom Map Format: a TEXTMAP text lump between the marker and ENDMAP.
    case udmf
}

/// A map found in a WAD's directory: its marker name, its format and the lumps that belong to it.
public struct MapEntry: Sendable, Hashable, Codable {
    /// The marker lump's name, e.g. `MAP01` or `E1M1`.
    public let name: String
    public let format: MapFormat
    /// Directory index of the marker lump.
    public let markerIndex: Int
    /// Directory indices of the map's data lumps (after the marker, up to and including ENDMAP for UDMF).
    public let lumpRange: Range<Int>

    public init(name: String, format: MapFormat, markerIndex: Int, lumpRange: Range<Int>) {
        self.name = name
        self.format = format
        self.markerIndex = markerIndex
        self.lumpRange = lumpRange
    }
}

/// Finds maps in a lump directory: any marker lump followed by `THINGS` (binary formats) or `TEXTMAP` (UDMF).
enum MapDetector {
    /// Lumps that may follow a binary map marker (vanilla, Hexen and common node builder output).
    static let binaryMapLumps: Set<String> = [
        "THINGS", "LINEDEFS", "SIDEDEFS", "VERTEXES", "SEGS", "SSECTORS", "NODES", "SECTORS",
        "REJECT", "BLOCKMAP", "BEHAVIOR", "SCRIPTS",
    ]

    static func detect(in lumps: [Lump]) -> [MapEntry] {
        var maps: [MapEntry] = []
        var index = 0
        while index + 1 < lumps.count {
            let next = lumps[index + 1].name
            if next == "TEXTMAP" {
                var end = index + 1
                while end < lumps.count, lumps[end].name != "ENDMAP" { end += 1 }
                let upper = min(end + 1, lumps.count)
                maps.append(MapEntry(name: lumps[index].name, format: .udmf, markerIndex: index, lumpRange: (index + 1)..<upper))
                index = upper
            } else if next == "THINGS" {
                var end = index + 1
                var hasBehavior = false
                while end < lumps.count, binaryMapLumps.contains(lumps[end].name) {
                    if lumps[end].name == "BEHAVIOR" { hasBehavior = true }
                    end += 1
                }
                maps.append(MapEntry(name: lumps[index].name, format: hasBehavior ? .hexen : .doom, markerIndex: index, lumpRange: (index + 1)..<end))
                index = end
            } else {
                index += 1
            }
        }
        return maps
    }
}
