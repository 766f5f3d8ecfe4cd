import PlaytestTestSupport
import Testing
@testable import PlaytestCore

/// The agent runtime's real transcripts (agent/tests/data): every good line decodes, every `bad_*` file has exactly
/// one bad line (line 3) and it is rejected with the right error.
@Suite("Agent transcripts", .enabled(if: AgentTranscripts.isAvailable, "agent/tests/data is absent (the agent runtime's sample transcripts)"))
struct AgentTranscriptTests {
    let decoder = AgentLineDecoder()

    @Test func everyLineOfTheGoodTranscriptsDecodes() throws {
        let good = AgentTranscripts.names().filter { !$0.hasPrefix("bad_") }
        #expect(good.count >= 3)
        for name in good {
            let lines = try AgentTranscripts.lines(name)
            var messages: [AgentMessage] = []
            for (index, line) in lines.enumerated() {
                do {
                    messages.append(try decoder.decode(line))
                } catch {
                    Issue.record("\(name):\(index + 1): \(error.message)")
                }
            }
            // hello first, done last.
            #expect(messages.first?.type == .hello, "\(name)")
            #expect(messages.last?.type == .done, "\(name)")
        }
    }

    @Test(arguments: [
        ("bad_truncated_line.jsonl", "truncated_json"),
        ("bad_unknown_type.jsonl", "unknown_type"),
        ("bad_missing_field.jsonl", "missing_field"),
        ("bad_wrong_version.jsonl", "unsupported_version"),
    ])
    func theBadLineOfEachBadTranscriptIsRejected(name: String, code: String) throws {
        guard AgentTranscripts.names(prefix: "bad_").contains(name) else {
            Issue.record("\(name) is missing from agent/tests/data")
            return
        }
        let lines = try AgentTranscripts.lines(name)
        var failures: [(line: Int, error: AgentProtocolError)] = []
        for (index, line) in lines.enumerated() {
            do {
                _ = try decoder.decode(line)
            } catch {
                failures.append((index + 1, error))
            }
        }
        #expect(failures.map(\.line) == [3])
        #expect(failures.first?.error.code == code)
    }

    @Test func theBadLinesSayWhatIsWrong() throws {
        func error(in name: String) throws -> AgentProtocolError? {
            let lines = try AgentTranscripts.lines(name)
            guard lines.count >= 3 else { return nil }
            do {
                _ = try decoder.decode(lines[2])
                return nil
            } catch {
                return error
            }
        }
        #expect(try error(in: "bad_unknown_type.jsonl") == .unknownType("teleport"))
        #expect(try error(in: "bad_missing_field.jsonl") == .missingField(type: "step", field: "health"))
        #expect(try error(in: "bad_wrong_version.jsonl") == .unsupportedVersion(found: "2"))
        if case .truncatedJSON = try error(in: "bad_truncated_line.jsonl") {} else {
            Issue.record("the truncated line is not reported as truncated")
        }
    }

    @Test func theErrorTranscriptsCarryTheAgentsErrorCode() throws {
        for (name, code) in [("error_missing_map.jsonl", AgentErrorCode.mapNotFound), ("error_broken_wad.jsonl", .wadInvalid)] {
            guard AgentTranscripts.names().contains(name) else { continue }
            let messages = try AgentTranscripts.lines(name).map { line throws(AgentProtocolError) in try decoder.decode(line) }
            let errors = messages.compactMap { message -> AgentErrorMessage? in
                if case .error(let error) = message { return error }
                return nil
            }
            #expect(errors.map(\.code) == [code], "\(name)")
            #expect(errors.first?.fatal == true)
            if case .done(let done) = messages.last {
                #expect(done.reason == .error)
                #expect(done.episodes == nil)
            } else {
                Issue.record("\(name) does not end with done")
            }
        }
    }
}
