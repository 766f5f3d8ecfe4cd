/// Reads the Doom and Hexen binary map lumps.
struct BinaryMapParser {
    let wad: WAD
    let entry: MapEntry
    let reader: LittleEndianReader

    init(wad: WAD, entry: MapEntry) {
        self.wad = wad
        self.entry = entry
        self.reader = LittleEndianReader(wad.bytes)
    }

    func parse() throws(WADError) -> DoomMap {
        let hexen = entry.format == .hexen
        let things = try records("THINGS", size: hexen ? 20 : 10) { base in
            hexen ? hexenThing(at: base) : doomThing(at: base)
        }
        let linedefs = try records("LINEDEFS", size: hexen ? 16 : 14) { base in
            hexen ? hexenLinedef(at: base) : doomLinedef(at: base)
        }
        let sidedefs = try records("SIDEDEFS", size: 30, sidedef(at:))
        let vertices = try records("VERTEXES", size: 4) { base in
            Vertex(x: Double(i16(base)), y: Double(i16(base + 2)))
        }
        let sectors = try records("SECTORS", size: 26, sector(at:))
        return DoomMap(name: entry.name, format: entry.format, things: things, linedefs: linedefs, sidedefs: sidedefs,
                       vertices: vertices, sectors: sectors)
    }

    /// Decodes every fixed-size record of one lump. The lump lies inside the file (checked by ``WAD``).
    private func records<Element>(_ name: String, size: Int, _ decode: (Int) -> Element) throws(WADError) -> [Element] {
        guard let lump = wad.lump(name, in: entry) else { throw .missingLump(map: entry.name, lump: name) }
        guard lump.size % size == 0 else {
            throw .recordSizeMismatch(map: entry.name, lump: name, offset: lump.offset, size: lump.size, recordSize: size)
        }
        let count = lump.size / size
        var result: [Element] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(decode(lump.offset + index * size))
        }
        return result
    }

    // The lump bounds were validated, so these reads succeed; the fallbacks keep the code trap-free regardless.
    @inline(__always) private func i16(_ offset: Int) -> Int { Int(reader.int16(at: offset) ?? 0) }
    @inline(__always) private func u16(_ offset: Int) -> Int { Int(reader.uint16(at: offset) ?? 0) }
    @inline(__always) private func u8(_ offset: Int) -> Int { offset < wad.bytes.count ? Int(wad.bytes[offset]) : 0 }
    @inline(__always) private func name(_ offset: Int) -> String { reader.name8(at: offset) ?? "-" }
    @inline(__always) private func side(_ offset: Int) -> Int? {
        let value = u16(offset)
        return value == 0xFFFF ? nil : value
    }

    private func doomThing(at base: Int) -> Thing {
        Thing(x: Double(i16(base)), y: Double(i16(base + 2)), angle: i16(base + 4), type: u16(base + 6), flags: u16(base + 8))
    }

    private func hexenThing(at base: Int) -> Thing {
        Thing(tid: u16(base), x: Double(i16(base + 2)), y: Double(i16(base + 4)), z: Double(i16(base + 6)),
              angle: i16(base + 8), type: u16(base + 10), flags: u16(base + 12), special: u8(base + 14),
              args: (15..<20).map { u8(base + $0) })
    }

    private func doomLinedef(at base: Int) -> Linedef {
        Linedef(start: u16(base), end: u16(base + 2), flags: u16(base + 4), special: u16(base + 6), tag: u16(base + 8),
                frontSide: side(base + 10), backSide: side(base + 12))
    }

    private func hexenLinedef(at base: Int) -> Linedef {
        let args = (7..<12).map { u8(base + $0) }
        return Linedef(start: u16(base), end: u16(base + 2), flags: u16(base + 4), special: u8(base + 6),
                       tag: args.first ?? 0, args: args, frontSide: side(base + 12), backSide: side(base + 14))
    }

    private func sidedef(at base: Int) -> Sidedef {
        Sidedef(offsetX: Double(i16(base)), offsetY: Double(i16(base + 2)), upperTexture: name(base + 4),
                lowerTexture: name(base + 12), middleTexture: name(base + 20), sector: u16(base + 28))
    }

    private func sector(at base: Int) -> Sector {
        Sector(floorHeight: Double(i16(base)), ceilingHeight: Double(i16(base + 2)), floorTexture: name(base + 4),
               ceilingTexture: name(base + 12), lightLevel: i16(base + 20), special: u16(base + 22), tag: u16(base + 24))
    }
}
