import Testing
@testable import PlaytestCore

@Suite("UDMF")
struct UDMFTests {
    static let room = """
    // A square room written by hand.
    namespace = "zdoom";
    /* block comment
       over lines */
    vertex { x = 0.0; y = 0.0; }
    vertex { x = 0.0; y = 512.0; }
    vertex { x = 512.0; y = 512.0; }
    vertex { x = 512; y = 0; }
    linedef { v1 = 0; v2 = 1; sidefront = 0; blocking = true; }
    linedef { v1 = 1; v2 = 2; sidefront = 1; blocking = true; }
    linedef { v1 = 2; v2 = 3; sidefront = 2; blocking = true; special = 243; arg0 = 0x1F; }
    linedef { v1 = 3; v2 = 0; sidefront = 3; blocking = true; id = 017; }
    sidedef { sector = 0; texturemiddle = "STARTAN3"; }
    sidedef { sector = 0; texturemiddle = "STARTAN3"; offsetx = -8; }
    sidedef { sector = 0; texturemiddle = "SW1EXIT"; }
    sidedef { sector = 0; texturemiddle = "STARTAN3"; }
    sector { texturefloor = "FLOOR4_8"; textureceiling = "CEIL3_5"; heightceiling = 128; lightlevel = 192; }
    thing { x = 256.5; y = 256.0; type = 1; angle = 90; skill1 = true; single = true; coop = true; dm = false; }
    thing { x = 1.5e2; y = -0.5E1; type = 3004; height = 8; }
    unknownblock { note = "tool data \\"quoted\\""; flag = maybe; }
    """

    private func parse(_ text: String) throws(WADError) -> DoomMap {
        var builder = WADBuilder()
        builder.add("MAP01")
        builder.add("TEXTMAP", text: text)
        builder.add("ENDMAP")
        return try MapParser.parse(wad: WAD(bytes: builder.build()), mapNamed: "MAP01")
    }

    @Test("Parses blocks, assignments, comments and every value type")
    func room() throws {
        let map = try parse(Self.room)
        #expect(map.format == .udmf)
        #expect(map.namespace == "zdoom")
        #expect(map.vertices.count == 4 && map.linedefs.count == 4 && map.sidedefs.count == 4 && map.sectors.count == 1)
        #expect(map.things.count == 2)
        #expect(map.things[0].x == 256.5 && map.things[0].angle == 90)
        #expect(map.things[0].flags & 0x0010 == 0) // appears in single player
        #expect(map.things[1].x == 150 && map.things[1].y == -5 && map.things[1].z == 8)
        #expect(map.things[1].flags & 0x0010 != 0) // not in single player
        #expect(map.linedefs[2].special == 243 && map.linedefs[2].args[0] == 31)
        #expect(map.linedefs[3].tag == 15) // octal 017
        #expect(map.linedefs[0].isBlocking && map.linedefs[0].backSide == nil)
        #expect(map.sidedefs[1].offsetX == -8 && map.sidedefs[1].upperTexture == "-")
        #expect(map.sectors[0].lightLevel == 192 && map.sectors[0].ceilingHeight == 128 && map.sectors[0].floorHeight == 0)
        #expect(MapGeometry(map).exitLines == [2])
        #expect(MapGeometry(map).area == 512 * 512)
    }

    @Test("The grammar parser keeps globals, block order and value types")
    func grammar() throws {
        let document = try UDMFParser.parse(Array("a = 1; B { c = -2.5; d = \"x\\\\y\"; e = true; f = 0x10; } g = name;".utf8))
        #expect(document.globals["a"] == .integer(1))
        #expect(document.globals["g"] == .keyword("name"))
        #expect(document.blocks.count == 1)
        #expect(document.blocks[0].type == "b")
        #expect(document.blocks[0].fields["c"] == .float(-2.5))
        #expect(document.blocks[0].fields["d"] == .string("x\\y"))
        #expect(document.blocks[0].fields["e"]?.bool == true)
        #expect(document.blocks[0].fields["f"] == .integer(16))
    }

    @Test("Bad syntax is an error with the line and the file offset", arguments: [
        ("vertex { x = 0.0; y = 0.0 }", 1, "expected ';'"),
        ("namespace = \"doom\";\nvertex { x = 0.0;\n y = 0.0;", 3, "not closed"),
        ("vertex { x = 0.0; y = \"unterminated; }", 1, "unterminated string"),
        ("/* never closed", 1, "unterminated /*"),
        ("vertex { x = 1.2.3; }", 1, "malformed number"),
        ("\n\nvertex { block { } }", 3, "expected '='"),
        ("= 4;", 1, "expected an identifier"),
        ("vertex { x = ; }", 1, "expected a value"),
        ("thing { x = 0; y = 0; type = 99999999999999999999999; }", 1, "malformed number"),
        ("vertex { x = @; }", 1, "unexpected character"),
    ])
    func syntaxErrors(text: String, line: Int, fragment: String) {
        do {
            _ = try parse(text)
            Issue.record("expected a syntax error")
        } catch {
            guard case let .udmfSyntax(map, lump, offset, errorLine, message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(map == "MAP01" && lump == "TEXTMAP")
            #expect(offset >= 12)
            #expect(errorLine == line)
            #expect(message.contains(fragment), "\(message)")
        }
    }

    @Test("Missing required fields, wrong types and unusable values are value errors", arguments: [
        "vertex { x = 0.0; }",
        "linedef { v2 = 0; sidefront = 0; }",
        "sidedef { texturemiddle = \"A\"; }",
        "thing { x = 0; y = 0; }",
        "vertex { x = 1e300; y = 0.0; }",
        "thing { x = 0; y = 0; type = \"imp\"; }",
        "sidedef { sector = 0; texturetop = 5; }",
        "thing { x = 0; y = 0; type = 0x7FFFFFFFFFF; }",
    ])
    func valueErrors(text: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            if case .udmfValue = error as? WADError { return true }
            return false
        }
    }

    @Test("References out of range in UDMF are index errors")
    func udmfIndices() {
        let text = Self.room.replacingOccurrences(of: "v2 = 3;", with: "v2 = 30;")
        #expect {
            _ = try parse(text)
        } throws: { error in
            if case let .indexOutOfRange(_, lump, _, record, field, value, _) = error as? WADError {
                return lump == "TEXTMAP" && record == 2 && field == "end vertex" && value == 30
            }
            return false
        }
    }
}
