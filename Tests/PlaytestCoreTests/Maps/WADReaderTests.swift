import Testing
@testable import PlaytestCore

@Suite("WAD reader")
struct WADReaderTests {
    private func expectError(_ bytes: [UInt8], _ check: (WADError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let wad = try WAD(bytes: bytes)
            for entry in wad.maps { _ = try MapParser.parse(wad: wad, map: entry) }
            Issue.record("expected an error", sourceLocation: sourceLocation)
        } catch {
            #expect(check(error), "unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("Reads an IWAD and a PWAD directory")
    func directory() throws {
        var builder = WADBuilder(kind: "IWAD")
        builder.add("PLAYPAL", [1, 2, 3])
        builder.add("F_START")
        let wad = try WAD(bytes: builder.build())
        #expect(wad.kind == .iwad)
        #expect(wad.lumps.map(\.name) == ["PLAYPAL", "F_START"])
        #expect(Array(wad.data(of: wad.lumps[0])) == [1, 2, 3])
        #expect(wad.maps.isEmpty)
        #expect(try WAD(bytes: BinaryMapEncoder.wad(TestMaps.cleanRoom())).kind == .pwad)
    }

    @Test("Detects ExMy, MAPxx and any other marker followed by map lumps")
    func mapDetection() throws {
        var builder = WADBuilder()
        for name in ["E1M1", "MAP07", "MYLEVEL"] {
            var map = TestMaps.cleanRoom()
            map.name = name
            BinaryMapEncoder.add(map, to: &builder)
        }
        builder.add("TITLEPIC", [0, 0])
        builder.add("ARENA")
        builder.add("TEXTMAP", text: "namespace = \"zdoom\";")
        builder.add("ENDMAP")
        let wad = try WAD(bytes: builder.build())
        #expect(wad.maps.map(\.name) == ["E1M1", "MAP07", "MYLEVEL", "ARENA"])
        #expect(wad.maps.map(\.format) == [.doom, .doom, .doom, .udmf])
        #expect(wad.maps[0].lumpRange == 1..<6)
        #expect(wad.map(named: "map07")?.markerIndex == 6)
    }

    @Test("Parses the Doom format: counts, coordinates, textures and the no-sidedef marker")
    func doomFormat() throws {
        let original = TestMaps.twoRooms(eastFloor: 16)
        let map = try MapParser.parse(wad: WAD(bytes: BinaryMapEncoder.wad(original)), mapNamed: "MAP01")
        #expect(map.format == .doom)
        #expect(map.things == original.things)
        #expect(map.vertices == original.vertices)
        #expect(map.sidedefs == original.sidedefs)
        #expect(map.sectors == original.sectors)
        #expect(map.linedefs == original.linedefs)
        #expect(map.linedefs[0].backSide == nil)
    }

    @Test("Parses the Hexen format: 20-byte things, 16-byte linedefs with args, BEHAVIOR present")
    func hexenFormat() throws {
        var original = TestMaps.cleanRoom()
        original.things[0] = Thing(tid: 7, x: 256, y: 256, z: 24, angle: 90, type: 1, flags: 0x0707, special: 80, args: [1, 2, 3, 4, 5])
        original.linedefs[2].special = 243
        original.linedefs[2].args = [9, 8, 7, 6, 5]
        original.linedefs[2].tag = 9
        let wad = try WAD(bytes: BinaryMapEncoder.wad(original, hexen: true))
        #expect(wad.maps.first?.format == .hexen)
        let map = try MapParser.parse(wad: wad, map: try #require(wad.maps.first))
        #expect(map.format == .hexen)
        #expect(map.usesHexenSpecials)
        #expect(map.things[0] == original.things[0])
        #expect(map.linedefs[2] == original.linedefs[2])
        #expect(MapGeometry(map).exitLines == [2])
    }

    @Test("A file shorter than the header is a truncated-header error")
    func truncatedHeader() {
        expectError(Array("PWAD".utf8) + [1, 0]) { $0 == .truncatedHeader(size: 6) }
        expectError([]) { $0 == .truncatedHeader(size: 0) }
    }

    @Test("A file that does not start with IWAD or PWAD is not a WAD")
    func notAWAD() {
        expectError(Array("PK\u{3}\u{4}".utf8) + [UInt8](repeating: 0, count: 20)) {
            if case .notAWAD = $0 { return true } else { return false }
        }
    }

    @Test("A directory past the end of the file is reported with its offset")
    func directoryPastEOF() {
        var bytes = BinaryMapEncoder.wad(TestMaps.cleanRoom())
        let size = bytes.count
        bytes.removeLast(5)
        expectError(bytes) {
            if case let .directoryPastEOF(offset, directorySize, fileSize) = $0 {
                return offset == size - 6 * 16 && directorySize == 96 && fileSize == size - 5
            }
            return false
        }
    }

    @Test("A lump past the end of the file names the lump and its offset")
    func lumpPastEOF() {
        var bytes = BinaryMapEncoder.wad(TestMaps.cleanRoom())
        // Directory entry 2 is LINEDEFS: make its size reach past the end.
        let directory = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16
        bytes.replaceSubrange((directory + 2 * 16 + 4)..<(directory + 2 * 16 + 8), with: le32(1_000_000))
        expectError(bytes) {
            if case let .lumpPastEOF(lump, index, _, size, _) = $0 { return lump == "LINEDEFS" && index == 2 && size == 1_000_000 }
            return false
        }
    }

    @Test("A record size that does not divide the lump is an error naming lump, size and offset")
    func recordSize() {
        var builder = WADBuilder()
        BinaryMapEncoder.add(TestMaps.cleanRoom(), to: &builder)
        builder.lumps[4].data.append(0) // VERTEXES: 4-byte records
        expectError(builder.build()) {
            if case let .recordSizeMismatch(map, lump, offset, size, recordSize) = $0 {
                return map == "MAP01" && lump == "VERTEXES" && offset > 12 && size == 17 && recordSize == 4
            }
            return false
        }
    }

    @Test("A missing required lump is an error")
    func missingLump() {
        var builder = WADBuilder()
        BinaryMapEncoder.add(TestMaps.cleanRoom(), to: &builder)
        builder.lumps.remove(at: 5) // SECTORS
        expectError(builder.build()) { $0 == .missingLump(map: "MAP01", lump: "SECTORS") }
    }

    @Test("Indices out of range: vertex, sidedef and sector references")
    func indicesOutOfRange() {
        var badVertex = TestMaps.cleanRoom()
        badVertex.linedefs[1].end = 99
        expectError(BinaryMapEncoder.wad(badVertex)) {
            if case let .indexOutOfRange(_, lump, _, record, field, value, count) = $0 {
                return lump == "LINEDEFS" && record == 1 && field == "end vertex" && value == 99 && count == 4
            }
            return false
        }
        var badSide = TestMaps.cleanRoom()
        badSide.linedefs[3].backSide = 40
        expectError(BinaryMapEncoder.wad(badSide)) {
            if case let .indexOutOfRange(_, _, _, record, field, _, _) = $0 { return record == 3 && field == "back sidedef" }
            return false
        }
        var badSector = TestMaps.cleanRoom()
        badSector.sidedefs[2].sector = 5
        expectError(BinaryMapEncoder.wad(badSector)) {
            if case let .indexOutOfRange(_, lump, offset, record, field, value, count) = $0 {
                return lump == "SIDEDEFS" && record == 2 && field == "sector" && value == 5 && count == 1 && offset > 12
            }
            return false
        }
    }

    @Test("Error messages name the lump and offset in words")
    func messages() {
        let error = WADError.recordSizeMismatch(map: "MAP03", lump: "THINGS", offset: 1234, size: 25, recordSize: 10)
        #expect(error.description == "Map MAP03: lump THINGS at offset 1234 is 25 bytes, not a multiple of its 10-byte record size.")
        #expect(WADError.noMaps.description.contains("no maps"))
    }

    @Test("Reads the map title from MAPINFO, ZMAPINFO and UMAPINFO")
    func titles() throws {
        for (lump, text) in [
            ("MAPINFO", "map MAP01 \"Hangar of Doom\"\nsky1 SKY1 0\n"),
            ("ZMAPINFO", "// comment\nmap MAP01 \"Hangar of Doom\" {\n levelnum = 1\n}\n"),
            ("UMAPINFO", "MAP MAP02 { levelname = \"Other\" }\nMAP MAP01 {\n levelname = \"Hangar of Doom\"\n music = \"D_RUNNIN\"\n}\n"),
        ] {
            var builder = WADBuilder()
            BinaryMapEncoder.add(TestMaps.cleanRoom(), to: &builder)
            builder.add(lump, text: text)
            let map = try MapParser.parse(wad: WAD(bytes: builder.build()), mapNamed: "MAP01")
            #expect(map.title == "Hangar of Doom", "\(lump)")
        }
        let map = try MapParser.parse(wad: WAD(bytes: BinaryMapEncoder.wad(TestMaps.cleanRoom())), mapNamed: "MAP01")
        #expect(map.title == nil)
    }
}
