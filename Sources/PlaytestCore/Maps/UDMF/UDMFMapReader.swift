/// Turns a parsed TEXTMAP into a ``DoomMap``, applying the UDMF defaults and checking required fields.
enum UDMFMapReader {
    /// Coordinates beyond this are rejected: no engine can represent them (ZDoom uses 16.16 fixed point).
    static let coordinateLimit = 1_000_000_000.0

    static func read(bytes: ArraySlice<UInt8>, mapName: String, lumpOffset: Int) throws(WADError) -> DoomMap {
        let document: UDMFDocument
        do {
            document = try UDMFParser.parse(bytes)
        } catch {
            throw .udmfSyntax(map: mapName, lump: "TEXTMAP", offset: lumpOffset + error.offset, line: error.line, message: error.message)
        }
        var map = DoomMap(name: mapName, format: .udmf, namespace: document.globals["namespace"]?.string,
                          things: [], linedefs: [], sidedefs: [], vertices: [], sectors: [])
        for block in document.blocks {
            let fields = BlockFields(block: block, mapName: mapName, lumpOffset: lumpOffset)
            switch block.type {
            case "thing": map.things.append(try thing(fields))
            case "vertex": map.vertices.append(Vertex(x: try fields.coordinate("x"), y: try fields.coordinate("y")))
            case "linedef": map.linedefs.append(try linedef(fields))
            case "sidedef": map.sidedefs.append(try sidedef(fields))
            case "sector": map.sectors.append(try sector(fields))
            default: continue
            }
        }
        return map
    }

    private static let lineFlagBits: [(String, Int)] = [
        ("blocking", 0x0001), ("blockmonsters", 0x0002), ("twosided", 0x0004), ("dontpegtop", 0x0008),
        ("dontpegbottom", 0x0010), ("secret", 0x0020), ("blocksound", 0x0040), ("dontdraw", 0x0080), ("mapped", 0x0100),
    ]

    private static let activationKeys: [(key: String, spac: Int)] = [
        ("playeruse", 1), ("playeruseback", 1), ("impact", 3), ("playerpush", 4), ("playercross", 0), ("anycross", 7),
        ("monstercross", 2), ("missilecross", 5),
    ]

    private static func thing(_ fields: BlockFields) throws(WADError) -> Thing {
        var flags = 0
        if fields.bool("skill1") || fields.bool("skill2") { flags |= 0x0001 }
        if fields.bool("skill3") { flags |= 0x0002 }
        if fields.bool("skill4") || fields.bool("skill5") { flags |= 0x0004 }
        if fields.bool("ambush") { flags |= 0x0008 }
        if !fields.bool("single") { flags |= 0x0010 }
        if fields.bool("single") { flags |= 0x0100 }
        if fields.bool("coop") { flags |= 0x0200 }
        if fields.bool("dm") { flags |= 0x0400 }
        return Thing(tid: try fields.int("id", default: 0), x: try fields.coordinate("x"), y: try fields.coordinate("y"),
                     z: try fields.coordinate("height", default: 0), angle: try fields.int("angle", default: 0),
                     type: try fields.int("type"), flags: flags, special: try fields.int("special", default: 0),
                     args: try fields.args())
    }

    private static func linedef(_ fields: BlockFields) throws(WADError) -> Linedef {
        var flags = 0
        for (key, bit) in lineFlagBits where fields.bool(key) { flags |= bit }
        // Lines that block only players still block the player's way.
        if fields.bool("blockplayers") || fields.bool("blockeverything") { flags |= Linedef.blockingFlag }
        // How the special is set off, in Hexen's bits (SPAC in bits 10–12, repeat 0x0200), so the planner
        // reads every format alike. The first of use, impact, push, cross wins when several are set.
        if let spac = activationKeys.first(where: { fields.bool($0.key) })?.spac { flags |= spac << 10 }
        if fields.bool("repeatspecial") { flags |= 0x0200 }
        let back = try fields.int("sideback", default: -1)
        let args = try fields.args()
        let special = try fields.int("special", default: 0)
        let id = try fields.int("id", default: -1)
        return Linedef(start: try fields.int("v1"), end: try fields.int("v2"), flags: flags, special: special,
                       tag: id >= 0 ? id : (args.first ?? 0), args: args,
                       frontSide: try fields.int("sidefront"), backSide: back == -1 ? nil : back)
    }

    private static func sidedef(_ fields: BlockFields) throws(WADError) -> Sidedef {
        Sidedef(offsetX: try fields.coordinate("offsetx", default: 0), offsetY: try fields.coordinate("offsety", default: 0),
                upperTexture: try fields.string("texturetop", default: "-"),
                lowerTexture: try fields.string("texturebottom", default: "-"),
                middleTexture: try fields.string("texturemiddle", default: "-"), sector: try fields.int("sector"))
    }

    private static func sector(_ fields: BlockFields) throws(WADError) -> Sector {
        Sector(floorHeight: try fields.coordinate("heightfloor", default: 0),
               ceilingHeight: try fields.coordinate("heightceiling", default: 0),
               floorTexture: try fields.string("texturefloor", default: "-"),
               ceilingTexture: try fields.string("textureceiling", default: "-"),
               lightLevel: try fields.int("lightlevel", default: 160), special: try fields.int("special", default: 0),
               tag: try fields.int("id", default: 0))
    }
}

/// Typed access to one block's fields, with errors that name the block's line.
private struct BlockFields {
    let block: UDMFBlock
    let mapName: String
    let lumpOffset: Int

    private func fail(_ message: String) -> WADError {
        .udmfValue(map: mapName, lump: "TEXTMAP", offset: lumpOffset + block.offset, line: block.line,
                   message: "\(block.type) block: \(message)")
    }

    func bool(_ key: String) -> Bool { block.fields[key]?.bool ?? false }

    func int(_ key: String, default fallback: Int? = nil) throws(WADError) -> Int {
        guard let value = block.fields[key] else {
            if let fallback { return fallback }
            throw fail("required field '\(key)' is missing")
        }
        // Keep values inside Int32 so later arithmetic on them can never overflow.
        guard let number = value.integer, number >= Int(Int32.min), number <= Int(Int32.max) else {
            throw fail("'\(key)' must be an integer in 32-bit range")
        }
        return number
    }

    func coordinate(_ key: String, default fallback: Double? = nil) throws(WADError) -> Double {
        guard let value = block.fields[key] else {
            if let fallback { return fallback }
            throw fail("required field '\(key)' is missing")
        }
        guard let number = value.number, number.isFinite, abs(number) < UDMFMapReader.coordinateLimit else {
            throw fail("'\(key)' must be a finite number below 1e9 in magnitude")
        }
        return number
    }

    func string(_ key: String, default fallback: String) throws(WADError) -> String {
        guard let value = block.fields[key] else { return fallback }
        guard let text = value.string else { throw fail("'\(key)' must be a quoted string") }
        return text
    }

    func args() throws(WADError) -> [Int] {
        var result: [Int] = []
        for index in 0..<5 { result.append(try int("arg\(index)", default: 0)) }
        return result
    }
}
