/// Parses a map of any format from a ``WAD`` into a ``DoomMap``.
public enum MapParser {
    /// Parses the map described by `map`. Throws a ``WADError`` naming the lump and offset of the first defect.
    public static func parse(wad: WAD, map: MapEntry) throws(WADError) -> DoomMap {
        var result: DoomMap
        switch map.format {
        case .doom, .hexen:
            result = try BinaryMapParser(wad: wad, entry: map).parse()
        case .udmf:
            guard let textmap = wad.lump("TEXTMAP", in: map) else {
                throw .missingLump(map: map.name, lump: "TEXTMAP")
            }
            result = try UDMFMapReader.read(bytes: wad.data(of: textmap), mapName: map.name, lumpOffset: textmap.offset)
        }
        try MapReferenceValidator.validate(result, lumpOffsets: lumpOffsets(wad: wad, map: map))
        result.title = MapTitles.title(for: map.name, in: wad)
        return result
    }

    /// Parses the map with this marker name.
    public static func parse(wad: WAD, mapNamed name: String) throws(WADError) -> DoomMap {
        guard let entry = wad.map(named: name) else { throw .mapNotFound(name: name) }
        return try parse(wad: wad, map: entry)
    }

    private static func lumpOffsets(wad: WAD, map: MapEntry) -> [String: Int] {
        var offsets: [String: Int] = [:]
        for index in map.lumpRange where index < wad.lumps.count {
            let lump = wad.lumps[index]
            if offsets[lump.name] == nil { offsets[lump.name] = lump.offset }
        }
        return offsets
    }
}

/// Checks that every index in a map points at an element that exists.
enum MapReferenceValidator {
    static func validate(_ map: DoomMap, lumpOffsets: [String: Int]) throws(WADError) {
        let textual = map.format == .udmf
        let linedefLump = textual ? "TEXTMAP" : "LINEDEFS"
        let sidedefLump = textual ? "TEXTMAP" : "SIDEDEFS"
        let linedefSize = map.format == .hexen ? 16 : 14
        let lineBase = lumpOffsets[linedefLump] ?? 0
        let sideBase = lumpOffsets[sidedefLump] ?? 0
        for (index, line) in map.linedefs.enumerated() {
            let offset = textual ? lineBase : lineBase + index * linedefSize
            func fail(_ field: String, _ value: Int, _ count: Int) -> WADError {
                .indexOutOfRange(map: map.name, lump: linedefLump, offset: offset, record: index, field: field, value: value, count: count)
            }
            if line.start < 0 || line.start >= map.vertices.count { throw fail("start vertex", line.start, map.vertices.count) }
            if line.end < 0 || line.end >= map.vertices.count { throw fail("end vertex", line.end, map.vertices.count) }
            if let front = line.frontSide, front < 0 || front >= map.sidedefs.count {
                throw fail("front sidedef", front, map.sidedefs.count)
            }
            if let back = line.backSide, back < 0 || back >= map.sidedefs.count {
                throw fail("back sidedef", back, map.sidedefs.count)
            }
        }
        for (index, side) in map.sidedefs.enumerated() where side.sector < 0 || side.sector >= map.sectors.count {
            let offset = textual ? sideBase : sideBase + index * 30
            throw .indexOutOfRange(map: map.name, lump: sidedefLump, offset: offset, record: index, field: "sector",
                                   value: side.sector, count: map.sectors.count)
        }
    }
}
