/// Lets pages write markup as nested Swift: strings become escaped text, `if`, `for` and
/// optionals work as expected.
@resultBuilder
enum HTMLBuilder {
    static func buildBlock(_ parts: HTML...) -> HTML { .join(parts) }
    static func buildExpression(_ html: HTML) -> HTML { html }
    static func buildExpression(_ text: String) -> HTML { .text(text) }
    static func buildOptional(_ html: HTML?) -> HTML { html ?? .empty }
    static func buildEither(first html: HTML) -> HTML { html }
    static func buildEither(second html: HTML) -> HTML { html }
    static func buildArray(_ parts: [HTML]) -> HTML { .join(parts) }
}

/// An element with attributes and children: `el("p", .cls("note")) { "text" }`.
func el(_ tag: StaticString, _ attributes: Attribute..., @HTMLBuilder content: () -> HTML = { .empty }) -> HTML {
    HTML.element(tag, attributes, content())
}

/// Fragments side by side without a wrapper.
func group(@HTMLBuilder _ content: () -> HTML) -> HTML { content() }

extension Attribute {
    static func cls(_ value: String?) -> Attribute { Attribute("class", value) }
    static func id(_ value: String?) -> Attribute { Attribute("id", value) }
    static func href(_ value: String?) -> Attribute { Attribute("href", value) }
    static func type(_ value: String?) -> Attribute { Attribute("type", value) }
    static func name(_ value: String?) -> Attribute { Attribute("name", value) }
    static func value(_ value: String?) -> Attribute { Attribute("value", value) }
    static func title(_ value: String?) -> Attribute { Attribute("title", value) }
    static func role(_ value: String?) -> Attribute { Attribute("role", value) }
    static func label(_ value: String?) -> Attribute { Attribute("aria-label", value) }
    static func forID(_ value: String?) -> Attribute { Attribute("for", value) }
}
