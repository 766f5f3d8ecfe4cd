import Testing

@testable import PlaytestStorage

struct BlobKeyTests {
    @Test(arguments: ["maps/ab/abcdef.wad", "a", "runs/42/episodes/7/demo.lmp", "maps/a b+c(1).wad", "карты/ü.wad", "a..b", "a/b.", "x/y.."])
    func acceptsOrdinaryKeys(_ key: String) throws {
        #expect(try BlobKey.validate(key).joined(separator: "/") == key)
    }

    @Test(arguments: [
        ("../escape", "escape"),
        ("maps/../../etc/passwd", "escape"),
        ("..", "escape"),
        ("/etc/passwd", "absolute"),
        ("a\u{0}b", "NUL"),
        ("a//b", "empty segments"),
        ("a\\b", "backslash"),
        ("", "empty"),
        ("./a", "'.'"),
        ("a/./b", "'.'"),
        ("a/", "folder"),
        ("maps/.incoming-x", "reserved"),
        ("a\nb", "control character"),
    ])
    func refusesKeysWithAReason(_ key: String, reasonMentions: String) {
        do {
            try BlobKey.validate(key)
            Issue.record("accepted \(key.debugDescription)")
        } catch {
            guard case .invalidKey(let refused, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(refused == key)
            #expect(reason.contains(reasonMentions), "reason: \(reason)")
            #expect(error.description.contains("invalid blob key"))
        }
    }

    @Test func refusesOverlongKeys() {
        #expect(throws: BlobError.self) { try BlobKey.validate(String(repeating: "a", count: 1025)) }
        #expect(throws: Never.self) { try BlobKey.validate(String(repeating: "a", count: 1024)) }
    }

    @Test(arguments: ["", "maps/", "maps", "maps/a", "maps/sub/"])
    func acceptsPrefixes(_ prefix: String) {
        #expect(throws: Never.self) { try BlobKey.validatePrefix(prefix) }
    }

    @Test(arguments: ["../", "..", "maps/../", "/maps", "a//", "a\u{0}", "a\\b"])
    func refusesPrefixesThatEscape(_ prefix: String) {
        #expect(throws: BlobError.self) { try BlobKey.validatePrefix(prefix) }
    }
}
