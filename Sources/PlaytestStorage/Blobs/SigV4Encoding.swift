/// The canonical forms SigV4 signs: URI encoding, query strings, headers and path normalization.
public enum SigV4Encoding {
    /// Percent-encodes every byte except the unreserved characters `A-Z a-z 0-9 - . _ ~`
    /// (and `/` when `keepSlash`), with uppercase hex, as SigV4 requires.
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoded form of a decoded path: each segment encoded, slashes kept; empty means `/`.
    public static func path(_ path: String) -> String {
        if path.isEmpty { return "/" }
        let encoded = uriEncode(path, keepSlash: true)
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// Removes `.` and `..` segments and repeated slashes (RFC 3986 section 5.2.4), keeping a
    /// trailing slash; used for non-S3 services.
    public static func normalizedPath(_ path: String) -> String {
        var kept: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for segment in segments {
            switch segment {
            case ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        if kept.isEmpty { return "/" }
        let endsAsFolder = path.hasSuffix("/") || segments.last == "." || segments.last == ".."
        return "/" + kept.joined(separator: "/") + (endsAsFolder ? "/" : "")
    }

    /// `name=value` pairs, each side encoded (slashes too), sorted by name then value, joined by `&`.
    public static func canonicalQuery(_ items: [SigV4Signer.QueryItem]) -> String {
        items
            .map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The canonical header lines (`name:value`, sorted, repeated names joined by `,` in the order
    /// given) and the signed-header list (`a;b;c`).
    public static func canonicalHeaders(_ headers: [SigV4Signer.Header]) -> (lines: String, signedHeaders: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased().trimmingSpaces()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(header.value.trimmingSpaces().collapsingSpaces())
        }
        let names = order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let lines = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))" }
        return (lines.joined(separator: "\n"), names.joined(separator: ";"))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// Runs of spaces and tabs become one space.
    fileprivate func collapsingSpaces() -> String {
        var out = ""
        var previousWasSpace = false
        for character in self {
            let isSpace = character == " " || character == "\t"
            if isSpace {
                if !previousWasSpace { out.append(" ") }
            } else {
                out.append(character)
            }
            previousWasSpace = isSpace
        }
        return out
    }
}
