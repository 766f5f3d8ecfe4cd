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
        let rounded = (value * 100).rounded() / 100
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
}
