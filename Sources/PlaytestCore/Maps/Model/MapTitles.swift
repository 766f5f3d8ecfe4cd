/// Reads a map's title from the WAD's UMAPINFO, ZMAPINFO or MAPINFO lump.
///
/// Understood forms: `map MAP01 "Title"` (MAPINFO and ZMAPINFO, with or without a `{` block after it) and
/// `MAP MAP01 { levelname = "Title" }` (UMAPINFO). A title given only as a `lookup` key yields nil.
public enum MapTitles {
    public static func title(for mapName: String, in wad: WAD) -> String? {
        for lumpName in ["UMAPINFO", "ZMAPINFO", "MAPINFO"] {
            guard let lump = wad.lastLump(named: lumpName) else { continue }
            if let title = title(for: mapName, inText: wad.data(of: lump)) { return title }
        }
        return nil
    }

    /// Finds the title in MAPINFO-style text.
    public static func title(for mapName: String, inText bytes: ArraySlice<UInt8>) -> String? {
        let tokens = tokenize(bytes)
        let wanted = mapName.uppercased()
        var index = 0
        while index + 2 < tokens.count {
            defer { index += 1 }
            guard case let .word(keyword) = tokens[index], keyword.lowercased() == "map",
                  tokens[index + 1].text.uppercased() == wanted else { continue }
            switch tokens[index + 2] {
            case let .quoted(title):
                return title
            case .word("{"):
                var inner = index + 3
                while inner + 2 < tokens.count, tokens[inner] != .word("}") {
                    if case let .word(key) = tokens[inner], key.lowercased() == "levelname",
                       tokens[inner + 1] == .word("="), case let .quoted(title) = tokens[inner + 2] {
                        return title
                    }
                    inner += 1
                }
                return nil
            default:
                return nil
            }
        }
        return nil
    }

    private enum Token: Equatable {
        case word(String)
        case quoted(String)

        var text: String {
            switch self {
            case let .word(text), let .quoted(text): return text
            }
        }
    }

    private static func tokenize(_ bytes: ArraySlice<UInt8>) -> [Token] {
        var tokens: [Token] = []
        var index = bytes.startIndex
        let end = bytes.endIndex
        func isSpace(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == UInt8(ascii: ",") }
        while index < end {
            let byte = bytes[index]
            if isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "/"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "/") {
                while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: ";") {
                while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "\"") {
                index += 1
                let start = index
                while index < end, bytes[index] != UInt8(ascii: "\"") { index += 1 }
                tokens.append(.quoted(String(decoding: bytes[start..<index], as: UTF8.self)))
                index += 1
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "=") {
                tokens.append(.word(String(UnicodeScalar(byte))))
                index += 1
            } else {
                let start = index
                while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "{"),
                      bytes[index] != UInt8(ascii: "}"), bytes[index] != UInt8(ascii: "=") {
                    index += 1
                }
                tokens.append(.word(String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
        return tokens
    }
}
