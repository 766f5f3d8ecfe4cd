import Foundation
import Testing
@testable import PlaytestCore

@Suite("AgentLineDecoder")
struct AgentLineDecoderTests {
    let decoder = AgentLineDecoder()

    static let stepLine = #"{"v":1,"type":"step","episode":0,"step":10,"tic":41,"x":-77.916,"y":-62.216,"z":0.0,"angle":101.953,"health":100,"armor":0,"ammo":50,"weapon":2,"killcount":0,"itemcount":0,"secretcount":0,"damage_taken":0,"damagecount":0,"hitcount":0,"dead":false,"action":36,"buttons":["MOVE_FORWARD"],"reward":0.0}"#

    /// One line of every message type, as docs/agent-protocol.md shows them.
    static let documentedLines: [String] = [
        #"{"v":1,"type":"hello","protocol":1,"runtime":"playtest_agent","version":"0.1.0","command":"evaluate","agent":"explorer","vizdoom":"1.3.2","torch":"2.13.0+cpu","python":"3.11.7","pid":32087,"capabilities":["evaluate","train","resume","demos","screenshots","drqn","depth","labels","objects_info","sigterm"]}"#,
        #"{"v":1,"type":"episode_start","episode":0,"map":"MAP01","seed":3,"demo_path":null,"scenario":null}"#,
        stepLine,
        #"{"v":1,"type":"episode_end","episode":0,"reason":"timeout","tics":701,"steps":175,"total_reward":0.0,"killcount":2,"itemcount":4,"secretcount":0,"health":98,"armor":0,"damage_taken":6,"damagecount":55,"hitcount":6,"dead":false,"x":428.003,"y":56.796,"distance":2436.317,"cells_visited":42,"cell_size":64.0}"#,
        #"{"v":1,"type":"train_progress","iteration":10000,"iterations":500000,"episodes":119,"loss":0.014,"epsilon":0.878762,"mean_q":0.0169,"mean_episode_reward":0.2985,"mean_episode_kills":1.9,"steps_per_s":82.98,"updates_per_s":20.75,"updates":1250,"elapsed_s":63.636}"#,
        #"{"v":1,"type":"checkpoint","path":"/runs/42/checkpoints/dqn_00000150.pt","iteration":150,"epsilon":0.998575,"final":false,"bytes":2287136}"#,
        #"{"v":1,"type":"artifact","kind":"screenshot","path":"/runs/42/shots/episode_0000_tic_000314_death.png","reason":"death","episode":0,"tic":314}"#,
        #"{"v":1,"type":"error","code":"map_not_found","message":"map MAP99 is not in the loaded WADs (freedoom2.wad: MAP01 MAP02 ... MAP32)","fatal":true}"#,
        #"{"v":1,"type":"done","reason":"completed","episodes":2,"iterations":null,"elapsed_s":0.504}"#,
    ]

    @Test func decodesEveryMessageTypeWithItsFields() throws {
        let messages = try Self.documentedLines.map { line throws(AgentProtocolError) in try decoder.decode(line) }
        #expect(messages.map(\.type) == AgentMessageType.allCases)
        #expect(messages[0] == .hello(HelloMessage(
            version: "0.1.0", command: .evaluate, agent: .explorer, vizdoom: "1.3.2", torch: "2.13.0+cpu", python: "3.11.7",
            pid: 32087, capabilities: ["evaluate", "train", "resume", "demos", "screenshots", "drqn", "depth", "labels",
                                       "objects_info", "sigterm"])))
        #expect(messages[1] == .episodeStart(EpisodeStartMessage(episode: 0, map: "MAP01", seed: 3, demoPath: nil, scenario: nil)))
        #expect(messages[2] == .step(StepSample(
            episode: 0, step: 10, tic: 41, x: -77.916, y: -62.216, z: 0, angle: 101.953, health: 100, armor: 0, ammo: 50,
            weapon: 2, action: 36, buttons: ["MOVE_FORWARD"], reward: 0)))
        #expect(messages[3] == .episodeEnd(EpisodeEndMessage(
            episode: 0, reason: .timeout, tics: 701, steps: 175, totalReward: 0, killcount: 2, itemcount: 4, health: 98,
            damageTaken: 6, damagecount: 55, hitcount: 6, x: 428.003, y: 56.796, distance: 2436.317, cellsVisited: 42)))
        #expect(messages[4] == .trainProgress(TrainProgressMessage(
            iteration: 10000, iterations: 500_000, episodes: 119, loss: 0.014, epsilon: 0.878762, meanQ: 0.0169,
            meanEpisodeReward: 0.2985, meanEpisodeKills: 1.9, stepsPerSecond: 82.98, updatesPerSecond: 20.75,
            updates: 1250, elapsedSeconds: 63.636)))
        #expect(messages[5] == .checkpoint(CheckpointMessage(path: "/runs/42/checkpoints/dqn_00000150.pt", iteration: 150,
                                                             epsilon: 0.998575, final: false, bytes: 2_287_136)))
        #expect(messages[6] == .artifact(ArtifactMessage(kind: .screenshot, path: "/runs/42/shots/episode_0000_tic_000314_death.png",
                                                         reason: .death, episode: 0, tic: 314)))
        #expect(messages[7] == .error(AgentErrorMessage(
            code: .mapNotFound, message: "map MAP99 is not in the loaded WADs (freedoom2.wad: MAP01 MAP02 ... MAP32)", fatal: true)))
        #expect(messages[8] == .done(DoneMessage(reason: .completed, episodes: 2, iterations: nil, elapsedSeconds: 0.504)))
    }

    @Test func encodingAMessageGivesALineThatDecodesToTheSameMessage() throws {
        let encoder = JSONEncoder()
        for line in Self.documentedLines {
            let message = try decoder.decode(line)
            let encoded = try encoder.encode(message)
            #expect(try decoder.decode(encoded) == message, "\(line)")
        }
    }

    @Test func decodesTheNavigatorsUnansweredPresses() throws {
        let end = #"{"v":1,"type":"episode_end","episode":1,"reason":"timeout","tics":701,"steps":175,"total_reward":0.0,"killcount":0,"itemcount":0,"secretcount":0,"health":98,"armor":0,"damage_taken":0,"damagecount":0,"hitcount":0,"dead":false,"x":1,"y":2,"distance":3,"cells_visited":4,"cell_size":64.0,"#
        let message = try decoder.decode(end + #""unanswered_presses":[{"line":12,"tic":350,"x":128.5,"y":220,"angle":90,"keys":["red_card"]}]}"#)
        guard case .episodeEnd(let decoded) = message else { Issue.record("not an episode_end: \(message)"); return }
        #expect(decoded.unansweredPresses == [UnansweredPress(line: 12, tic: 350, x: 128.5, y: 220, angle: 90, keys: ["red_card"])])
        #expect(try decoder.decode(try JSONEncoder().encode(message)) == message)
        #expect(throws: AgentProtocolError.self) { try decoder.decode(end + #""unanswered_presses":[3]}"#) }
        #expect(throws: AgentProtocolError.unknownField(type: "episode_end.unanswered_presses", field: "why")) {
            try decoder.decode(end + #""unanswered_presses":[{"line":1,"tic":1,"x":0,"y":0,"angle":0,"keys":[],"why":1}]}"#)
        }
    }

    @Test func acceptsATrailingNewlineAndBytes() throws {
        let message = try decoder.decode(Array((Self.stepLine + "\r\n").utf8))
        #expect(message.type == .step)
        #expect(message.episode == 0)
    }

    // MARK: the envelope

    @Test(arguments: [
        ("", AgentProtocolError.emptyLine),
        ("  \t\r\n", .emptyLine),
        (#"{"v":1,"type":"step","#, .truncatedJSON(offset: 21)),
        ("playtest_agent: starting", .invalidJSON(offset: 0, reason: "expected a JSON value, found `p`")),
        ("[1,2]", .notAnObject(found: "an array")),
        ("42", .notAnObject(found: "an integer")),
        (#"{"type":"done"}"#, .missingVersion),
        (#"{"v":2,"type":"done"}"#, .unsupportedVersion(found: "2")),
        (#"{"v":"1","type":"done"}"#, .unsupportedVersion(found: "a string")),
        (#"{"v":1.5,"type":"done"}"#, .unsupportedVersion(found: "1.5")),
        (#"{"v":1}"#, .missingType),
        (#"{"v":1,"type":7}"#, .missingType),
        (#"{"v":1,"type":"teleport"}"#, .unknownType("teleport")),
    ])
    func rejectsABadEnvelope(line: String, expected: AgentProtocolError) {
        #expect(throws: expected) { try decoder.decode(line) }
    }

    @Test func refusesOverlongLinesBeforeParsing() {
        let small = AgentLineDecoder(maxLineLength: 100)
        #expect(throws: AgentProtocolError.lineTooLong(length: Self.stepLine.utf8.count, limit: 100)) {
            try small.decode(Self.stepLine)
        }
    }

    // MARK: fields

    /// The step line with one field replaced (or removed when `value` is nil).
    static func step(_ field: String, _ value: String?) -> String {
        var line = stepLine
        guard let range = line.range(of: "\"\(field)\":") else { return line }
        let valueStart = range.upperBound
        var depth = 0, end = valueStart, inString = false
        while end < line.endIndex {
            let character = line[end]
            if inString {
                if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if character == ",", depth == 0 {
                break
            }
            end = line.index(after: end)
        }
        if let value {
            line.replaceSubrange(valueStart..<end, with: value)
        } else {
            let removeEnd = end < line.endIndex && line[end] == "," ? line.index(after: end) : end
            line.removeSubrange(range.lowerBound..<removeEnd)
        }
        return line
    }

    @Test(arguments: [
        ("health", nil, AgentProtocolError.missingField(type: "step", field: "health")),
        ("buttons", nil, .missingField(type: "step", field: "buttons")),
        ("tic", "\"41\"", .wrongFieldType(type: "step", field: "tic", expected: "an integer", found: "a string")),
        ("tic", "41.5", .wrongFieldType(type: "step", field: "tic", expected: "an integer", found: "the number 41.5")),
        ("tic", "-1", .outOfRange(type: "step", field: "tic", value: "-1", expected: "an integer ≥ 0")),
        ("step", "0", .outOfRange(type: "step", field: "step", value: "0", expected: "an integer ≥ 1")),
        ("killcount", "-3", .outOfRange(type: "step", field: "killcount", value: "-3", expected: "an integer ≥ 0")),
        ("x", "null", .wrongFieldType(type: "step", field: "x", expected: "a number", found: "null")),
        ("x", "true", .wrongFieldType(type: "step", field: "x", expected: "a number", found: "a boolean")),
        ("dead", "0", .wrongFieldType(type: "step", field: "dead", expected: "a boolean", found: "an integer")),
        ("buttons", "[\"ATTACK\",3]", .wrongFieldType(type: "step", field: "buttons", expected: "an array of strings",
                                                    found: "an array containing an integer")),
        ("buttons", "\"ATTACK\"", .wrongFieldType(type: "step", field: "buttons", expected: "an array of strings", found: "a string")),
    ])
    func rejectsABadField(field: String, value: String?, expected: AgentProtocolError) {
        let line = Self.step(field, value)
        #expect(line != Self.stepLine)
        #expect(throws: expected) { try decoder.decode(line) }
    }

    @Test func acceptsHealthBelowZeroAndIntegralFloats() throws {
        guard case .step(let gibbed) = try decoder.decode(Self.step("health", "-28")) else {
            Issue.record("not a step")
            return
        }
        #expect(gibbed.health == -28)
        guard case .step(let sample) = try decoder.decode(Self.step("tic", "41.0")) else {
            Issue.record("not a step")
            return
        }
        #expect(sample.tic == 41)
    }

    @Test func nullIsAcceptedOnlyWhereTheProtocolSaysSo() throws {
        // reward: the runtime turns a non-finite reward into null.
        guard case .step(let sample) = try decoder.decode(Self.step("reward", "null")) else {
            Issue.record("not a step")
            return
        }
        #expect(sample.reward == nil)
        #expect(throws: AgentProtocolError.wrongFieldType(type: "step", field: "health", expected: "an integer", found: "null")) {
            try decoder.decode(Self.step("health", "null"))
        }
        // A nullable field must still be present.
        #expect(throws: AgentProtocolError.missingField(type: "episode_start", field: "demo_path")) {
            try decoder.decode(#"{"v":1,"type":"episode_start","episode":0,"map":"MAP01","seed":3}"#)
        }
    }

    @Test func rejectsFieldsTheProtocolDoesNotDefine() throws {
        let line = Self.stepLine.replacingOccurrences(of: "\"reward\":0.0}", with: "\"reward\":0.0,\"zoom\":2}")
        #expect(throws: AgentProtocolError.unknownField(type: "step", field: "zoom")) { try decoder.decode(line) }
        // A lenient decoder ignores it.
        #expect(try AgentLineDecoder(rejectsUnknownFields: false).decode(line).type == .step)
    }

    @Test(arguments: [
        (#"{"v":1,"type":"episode_end","episode":0,"reason":"won","tics":1,"steps":1,"total_reward":0,"killcount":0,"itemcount":0,"secretcount":0,"health":1,"armor":0,"damage_taken":0,"damagecount":0,"hitcount":0,"dead":false,"x":0,"y":0,"distance":0,"cells_visited":0,"cell_size":64}"#,
         AgentProtocolError.outOfRange(type: "episode_end", field: "reason", value: "\"won\"",
                                       expected: "one of \"death\", \"timeout\", \"exit\", \"stopped\"")),
        (#"{"v":1,"type":"episode_end","episode":0,"reason":"exit","tics":1,"steps":1,"total_reward":0,"killcount":0,"itemcount":0,"secretcount":0,"health":1,"armor":0,"damage_taken":0,"damagecount":0,"hitcount":0,"dead":false,"x":0,"y":0,"distance":0,"cells_visited":0,"cell_size":0}"#,
         .outOfRange(type: "episode_end", field: "cell_size", value: "0.0", expected: "a number > 0")),
        (#"{"v":1,"type":"train_progress","iteration":1,"iterations":2,"episodes":0,"loss":null,"epsilon":1.5,"mean_q":null,"mean_episode_reward":null,"mean_episode_kills":null,"steps_per_s":1,"updates_per_s":0,"updates":0,"elapsed_s":1}"#,
         .outOfRange(type: "train_progress", field: "epsilon", value: "1.5", expected: "a number ≤ 1.0")),
        (#"{"v":1,"type":"hello","protocol":1,"runtime":"other","version":"0.1.0","command":"evaluate","agent":null,"vizdoom":"1","torch":"1","python":"3","pid":1,"capabilities":[]}"#,
         .outOfRange(type: "hello", field: "runtime", value: "\"other\"", expected: "\"playtest_agent\"")),
        (#"{"v":1,"type":"hello","protocol":2,"runtime":"playtest_agent","version":"0.1.0","command":"evaluate","agent":null,"vizdoom":"1","torch":"1","python":"3","pid":1,"capabilities":[]}"#,
         .outOfRange(type: "hello", field: "protocol", value: "2", expected: "1")),
        (#"{"v":1,"type":"error","code":"oops","message":"x","fatal":true}"#,
         .outOfRange(type: "error", field: "code", value: "\"oops\"", expected: "one of " + AgentErrorCode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))),
        (#"{"v":1,"type":"error","code":"internal","message":"","fatal":true}"#,
         .outOfRange(type: "error", field: "message", value: "\"\"", expected: "a non-empty string")),
        (#"{"v":1,"type":"artifact","kind":"video","path":"/a","reason":"tic","episode":0,"tic":1}"#,
         .outOfRange(type: "artifact", field: "kind", value: "\"video\"", expected: "one of \"screenshot\", \"demo\"")),
        (#"{"v":1,"type":"done","reason":"completed","episodes":-1,"iterations":null,"elapsed_s":null}"#,
         .outOfRange(type: "done", field: "episodes", value: "-1", expected: "an integer ≥ 0")),
    ])
    func rejectsOutOfRangeValues(line: String, expected: AgentProtocolError) {
        #expect(throws: expected) { try decoder.decode(line) }
    }

    @Test func everyErrorHasACodeAndAMessageThatNamesTheProblem() {
        let error = AgentProtocolError.missingField(type: "step", field: "health")
        #expect(error.code == "missing_field")
        #expect(error.message.contains("\"step\""))
        #expect(error.message.contains("\"health\""))
        #expect(AgentProtocolError.unknownType("teleport").message.contains("episode_start"))
        #expect(AgentProtocolError.truncatedJSON(offset: 9).description.contains("cut off"))
    }
}
