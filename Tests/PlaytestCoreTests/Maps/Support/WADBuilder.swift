@testable import PlaytestCore

/// Builds WAD files in memory for tests: a header, lumps and a directory.
struct WADBuilder {
    var kind = "PWAD"
    var lumps: [(name: String, data: [UInt8])] = []

    mutating func add(_ name: String, _ data: [UInt8] = []) {
        lumps.append((name, data))
    }

    mutating func add(_ name: String, text: String) {
        lumps.append((name, Array(text.utf8)))
    }

    func build() -> [UInt8] {
        var body: [UInt8] = []
        var directory: [UInt8] = []
        for lump in lumps {
            directory += le32(12 + body.count) + le32(lump.data.count) + name8(lump.name)
            body += lump.data
        }
        return Array(kind.utf8.prefix(4)) + le32(lumps.count) + le32(12 + body.count) + body + directory
    }
}

func le16(_ value: Int) -> [UInt8] {
    let bits = UInt16(truncatingIfNeeded: value)
    return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
}

func le32(_ value: Int) -> [UInt8] {
    let bits = UInt32(truncatingIfNeeded: value)
    return [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
}

func name8(_ name: String) -> [UInt8] {
    let bytes = Array(name.utf8.prefix(8))
    return bytes + [UInt8](repeating: 0, count: 8 - bytes.count)
}

/// Encodes a ``DoomMap`` as Doom-format (or Hexen-format) binary lumps after a marker.
enum BinaryMapEncoder {
    static func add(_ map: DoomMap, to builder: inout WADBuilder, hexen: Bool = false) {
        builder.add(map.name)
        builder.add("THINGS", map.things.flatMap { thing -> [UInt8] in
            hexen
                ? le16(thing.tid) + le16(Int(thing.x)) + le16(Int(thing.y)) + le16(Int(thing.z)) + le16(thing.angle)
                    + le16(thing.type) + le16(thing.flags) + [UInt8(truncatingIfNeeded: thing.special)]
                    + thing.args.prefix(5).map { UInt8(truncatingIfNeeded: $0) }
                : le16(Int(thing.x)) + le16(Int(thing.y)) + le16(thing.angle) + le16(thing.type) + le16(thing.flags)
        })
        builder.add("LINEDEFS", map.linedefs.flatMap { line -> [UInt8] in
            let sides = le16(line.frontSide ?? 0xFFFF) + le16(line.backSide ?? 0xFFFF)
            return hexen
                ? le16(line.start) + le16(line.end) + le16(line.flags) + [UInt8(truncatingIfNeeded: line.special)]
                    + line.args.prefix(5).map { UInt8(truncatingIfNeeded: $0) } + sides
                : le16(line.start) + le16(line.end) + le16(line.flags) + le16(line.special) + le16(line.tag) + sides
        })
        builder.add("SIDEDEFS", map.sidedefs.flatMap { side -> [UInt8] in
            le16(Int(side.offsetX)) + le16(Int(side.offsetY)) + name8(side.upperTexture) + name8(side.lowerTexture)
                + name8(side.middleTexture) + le16(side.sector)
        })
        builder.add("VERTEXES", map.vertices.flatMap { le16(Int($0.x)) + le16(Int($0.y)) })
        builder.add("SECTORS", map.sectors.flatMap { sector -> [UInt8] in
            le16(Int(sector.floorHeight)) + le16(Int(sector.ceilingHeight)) + name8(sector.floorTexture)
                + name8(sector.ceilingTexture) + le16(sector.lightLevel) + le16(sector.special) + le16(sector.tag)
        })
        if hexen { builder.add("BEHAVIOR", Array("ACS\0".utf8) + le32(8)) }
    }

    /// A one-map PWAD holding the map in Doom format.
    static func wad(_ map: DoomMap, hexen: Bool = false) -> [UInt8] {
        var builder = WADBuilder()
        add(map, to: &builder, hexen: hexen)
        return builder.build()
    }
}
