/// Small helpers for writing SVG text.
enum SVGText {
    /// Escapes text for XML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters are not allowed in XML 1.0.
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A coordinate with at most two decimals, no exponent, and "0" for anything not finite.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // Far beyond any map coordinate; clamping keeps the arithmetic below exact and trap-free.
        let clamped = min(max(value, -1e12), 1e12)
        let rounded = (clamped * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        let whole = rounded < 0 ? -(-rounded).rounded(.down) : rounded.rounded(.down)
        let cents = Int((abs(rounded - whole) * 100).rounded())
        let sign = rounded < 0 && whole == 0 ? "-" : ""
        let text = cents % 10 == 0 ? "\(cents / 10)" : (cents < 10 ? "0\(cents)" : "\(cents)")
        return "\(sign)\(abs(whole) < 1e15 ? String(Int(whole)) : "0").\(text)"
    }

    /// SVG x for a map x, SVG y for a map y (SVG's y axis points down, Doom's up).
    static func x(_ value: Double) -> String { number(value) }
    static func y(_ value: Double) -> String { number(-value) }

    /// The color `fraction` of the way from `low` to `high` when both are `#rrggbb`; otherwise `high`.
    static func mix(_ low: String, _ high: String, _ fraction: Double) -> String {
        guard let a = rgb(low), let b = rgb(high), fraction.isFinite else { return high }
        let t = min(max(fraction, 0), 1)
        let channels = (0..<3).map { Int((Double(a[$0]) + (Double(b[$0]) - Double(a[$0])) * t).rounded()) }
        return "#" + channels.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private static func rgb(_ color: String) -> [Int]? {
        let digits = Array(color.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var channels: [Int] = []
        for index in stride(from: 1, to: 7, by: 2) {
            guard let value = Int(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            channels.append(value)
        }
        return channels
    }
}
