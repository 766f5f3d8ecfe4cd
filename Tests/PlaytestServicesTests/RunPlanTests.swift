import Foundation
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import Testing

@Suite("RunPlan")
struct RunPlanTests {
    @Test("a plan survives its JSON, DQN values keeping their kinds")
    func roundTrip() throws {
        var plan = RunPlan(mapName: "MAP01", scenario: "defend_the_center.cfg", agent: "dqn", checkpoint: "ckpt_abc",
                           actionCombinations: "turn_lr;attack", episodes: nil, episodeTimeoutTics: 2100, skill: 4, seed: 7,
                           recordDemos: true, screenshots: true, screenshotTics: [35, 70], maxIterations: 5000, frameSkip: 4,
                           resolution: "160x120", checkpointEvery: 1000, progressEvery: 100, resumeFrom: "ckpt_prev", telemetryEvery: 4)
        plan.dqn = ["lr": .double(0.00025), "batch_size": .int(32), "double": .bool(true), "optimizer": .string("adam"),
                    "hidden": [512, 256], "buttons": ["ATTACK", "TURN_LEFT"]]
        let json = try plan.json()
        #expect(try RunPlan(json: json) == plan)
        #expect(json.contains(#""batch_size":32"#))
        #expect(json.contains(#""double":true"#))
        #expect(json.contains(#""map_name":"MAP01""#))
        #expect(try plan.json() == json, "one canonical text: the same plan always encodes the same")
    }

    @Test("a plan JSON that is not a plan is refused with a readable error")
    func refusesBadJSON() {
        #expect(throws: RunStoreError.self) { try RunPlan(json: "{}") }
        #expect(throws: RunStoreError.self) { try RunPlan(json: "not json") }
        #expect(throws: RunStoreError.self) {
            try RunPlan(json: #"{"map_name":"MAP01","agent":"dqn","skill":"hard","record_demos":false,"screenshots":false,"screenshot_tics":[],"dqn":{},"checkpoint_every":1,"progress_every":1,"telemetry_every":1}"#)
        }
    }
}
