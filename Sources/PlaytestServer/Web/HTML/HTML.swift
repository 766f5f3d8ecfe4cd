/// A fragment of HTML that is safe by construction: text and attribute values are escaped when
/// they are added, so a map name or an agent's error message can never become markup. The only
/// way in for markup that is not built here is ``HTML/svg(_:)``, which takes the output of
/// ``MapPicture`` (the map renderer escapes its own text).
struct HTML: Sendable, Equatable {
    /// The rendered markup.
    private(set) var rendered: String

    private init(rendered: String) { self.rendered = rendered }

    static let empty = HTML(rendered: "")

    /// Text content, escaped.
    static func text(_ text: String) -> HTML { HTML(rendered: escape(text)) }

    /// An element with its attributes (a nil value leaves the attribute out, an empty value writes
    /// a bare boolean attribute) and children. Tag and attribute names come from this module's
    /// code, never from input.
    static func element(_ tag: StaticString, _ attributes: [Attribute] = [], _ children: HTML = .empty) -> HTML {
        let name = tag.description
        var out = "<" + name
        for attribute in attributes {
            guard let value = attribute.value else { continue }
            out += " " + attribute.name
            if !value.isEmpty { out += "=\"" + escape(value) + "\"" }
        }
        out += ">"
        if voidElements.contains(name) { return HTML(rendered: out) }
        out += children.rendered
        out += "</" + name + ">"
        return HTML(rendered: out)
    }

    /// Several fragments in order.
    static func join(_ parts: [HTML]) -> HTML {
        var out = ""
        out.reserveCapacity(parts.reduce(0) { $0 + $1.rendered.utf8.count })
        for part in parts { out += part.rendered }
        return HTML(rendered: out)
    }

    /// An inline SVG picture rendered by the map renderer.
    static func svg(_ picture: MapPicture) -> HTML { HTML(rendered: picture.markup) }

    /// A whole document: the doctype and the root element.
    static func document(_ root: HTML) -> String { "<!DOCTYPE html>\n" + root.rendered }

    /// Escapes `& < > " '` so that the result is safe both as text and inside a quoted attribute.
    static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
}

/// One attribute: its name (from code) and value (escaped when rendered). A nil value is left out.
struct Attribute: Sendable, Equatable {
    let name: String
    let value: String?

    init(_ name: StaticString, _ value: String?) {
        self.name = name.description
        self.value = value
    }

    /// A `data-*` attribute; `key` is a lowercase identifier written in code.
    static func data(_ key: StaticString, _ value: String?) -> Attribute {
        Attribute(dataKey: "data-" + key.description, value: value)
    }

    /// A boolean attribute, present when `on`.
    static func flag(_ name: StaticString, _ on: Bool) -> Attribute { Attribute(name, on ? "" : nil) }

    private init(dataKey: String, value: String?) {
        self.name = dataKey
        self.value = value
    }
}

/// Markup from the map renderer, which escapes every text it writes.
struct MapPicture: Sendable {
    let markup: String
}
