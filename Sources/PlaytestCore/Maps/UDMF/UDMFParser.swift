/// Parses TEXTMAP text into a ``UDMFDocument`` following the UDMF grammar:
///
/// ```
/// translation_unit := (block | assignment)*
/// block            := identifier '{' assignment* '}'
/// assignment       := identifier '=' value ';'
/// value            := integer | float | quoted_string | keyword
/// ```
public enum UDMFParser {
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(UDMFSyntaxError) -> UDMFDocument {
        var lexer = UDMFLexer(bytes)
        var document = UDMFDocument(globals: [:], blocks: [])
        while true {
            let token = try lexer.next()
            switch token {
            case .end:
                return document
            case let .identifier(name):
                let offset = lexer.tokenOffset
                let line = lexer.tokenLine
                switch try lexer.next() {
                case .equals:
                    document.globals[name.lowercased()] = try value(&lexer)
                case .openBrace:
                    document.blocks.append(try block(named: name, offset: offset, line: line, &lexer))
                default:
                    throw error(lexer, "expected '=' or '{' after '\(name.prefix(40))'")
                }
            default:
                throw error(lexer, "expected an identifier at the start of a block or assignment")
            }
        }
    }

    private static func error(_ lexer: UDMFLexer, _ message: String) -> UDMFSyntaxError {
        UDMFSyntaxError(offset: lexer.tokenOffset, line: lexer.tokenLine, message: message)
    }

    private static func block(named name: String, offset: Int, line: Int, _ lexer: inout UDMFLexer) throws(UDMFSyntaxError) -> UDMFBlock {
        var block = UDMFBlock(type: name.lowercased(), fields: [:], offset: offset, line: line)
        while true {
            switch try lexer.next() {
            case .closeBrace:
                return block
            case let .identifier(key):
                guard try lexer.next() == .equals else {
                    throw error(lexer, "expected '=' after '\(key.prefix(40))' in block '\(name.prefix(40))'")
                }
                block.fields[key.lowercased()] = try value(&lexer)
            case .end:
                throw error(lexer, "block '\(name.prefix(40))' starting on line \(line) is not closed with '}'")
            default:
                throw error(lexer, "expected a key or '}' in block '\(name.prefix(40))'")
            }
        }
    }

    private static func value(_ lexer: inout UDMFLexer) throws(UDMFSyntaxError) -> UDMFValue {
        let value: UDMFValue
        switch try lexer.next() {
        case let .integer(number): value = .integer(number)
        case let .float(number): value = .float(number)
        case let .string(text): value = .string(text)
        case let .identifier(word): value = .keyword(word)
        default: throw error(lexer, "expected a value after '='")
        }
        guard try lexer.next() == .semicolon else { throw error(lexer, "expected ';' after a value") }
        return value
    }
}
