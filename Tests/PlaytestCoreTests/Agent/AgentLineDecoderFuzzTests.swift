import PlaytestTestSupport
import Testing
@testable import PlaytestCore

/// The decoder must answer every input with a message or an ``AgentProtocolError``, never a crash. These tests feed
/// it random bytes and mutated real lines (a fixed number, with a fixed seed, so they are bounded and repeatable).
@Suite("AgentLineDecoder fuzzing")
struct AgentLineDecoderFuzzTests {
    let decoder = AgentLineDecoder(maxLineLength: 4096)

    /// Real lines to mutate: the documented examples, and the transcripts when they are present.
    static func seedLines() -> [String] {
        var lines = AgentLineDecoderTests.documentedLines
        for name in AgentTranscripts.names() {
            if let transcript = try? AgentTranscripts.lines(name) { lines += transcript.prefix(12) }
        }
        return lines
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var random = AgentFuzzRandom(seed: 0x5EED_0001)
        var rejected = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...300, using: &random)
            // Mostly JSON-ish bytes, so the parser gets past the first character often.
            let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsnv"type\ "#.utf8)
            let bytes = (0..<count).map { _ -> UInt8 in
                Bool.random(using: &random) ? alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0...255, using: &random)
            }
            do {
                _ = try decoder.decode(bytes)
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(rejected > 2900)
    }

    @Test func mutatedRealLinesGiveAMessageOrATypedError() {
        var random = AgentFuzzRandom(seed: 0x5EED_0002)
        let lines = Self.seedLines().map { Array($0.utf8) }
        var decoded = 0, rejected = 0
        for _ in 0..<6000 {
            guard var bytes = lines.randomElement(using: &random) else { break }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                Self.mutate(&bytes, using: &random)
            }
            do {
                _ = try decoder.decode(bytes)
                decoded += 1
            } catch {
                rejected += 1
                #expect(!error.code.isEmpty)
            }
        }
        #expect(decoded + rejected == 6000)
        #expect(rejected > 0)
    }

    @Test func everyPrefixOfARealLineIsTruncatedOrEmpty() throws {
        for line in AgentLineDecoderTests.documentedLines {
            let bytes = Array(line.utf8)
            for length in 0..<bytes.count {
                do {
                    _ = try decoder.decode(bytes[0..<length])
                    Issue.record("a prefix of \(length) bytes decoded: \(line)")
                } catch {
                    switch error {
                    case .emptyLine where length == 0, .truncatedJSON: break
                    default: Issue.record("prefix \(length) of \(line): \(error)")
                    }
                }
            }
        }
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout AgentFuzzRandom) {
        let interesting = Array(#"{}[]",:-0.9e"\nNaN"#.utf8) + [0x00, 0xFF, 0xC3, 0x80]
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty: // flip a byte
            bytes[Int.random(in: bytes.indices, using: &random)] = UInt8.random(in: 0...255, using: &random)
        case 1 where !bytes.isEmpty: // delete a run
            let start = Int.random(in: bytes.indices, using: &random)
            let end = min(bytes.count, start + Int.random(in: 1...8, using: &random))
            bytes.removeSubrange(start..<end)
        case 2: // insert a JSON-significant byte
            bytes.insert(interesting.randomElement(using: &random) ?? 0, at: Int.random(in: 0...bytes.count, using: &random))
        case 3 where !bytes.isEmpty: // truncate
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
        default: // duplicate a slice
            guard !bytes.isEmpty else { return }
            let start = Int.random(in: bytes.indices, using: &random)
            let end = min(bytes.count, start + Int.random(in: 1...16, using: &random))
            bytes.insert(contentsOf: bytes[start..<end], at: Int.random(in: 0...bytes.count, using: &random))
        }
    }
}
