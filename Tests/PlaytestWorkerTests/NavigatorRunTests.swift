import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
@testable import PlaytestWorker
import Testing

/// The whole chain that answers "can the map be finished?": the worker plans a built map with the Swift planner, the
/// navigator plays the planner's own route in VizDoom, the demo of the episode at the exit is replayed, and the
/// results' `completion` says `completed` with that demo as a verified proof.
@Suite("Navigator runs", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct NavigatorRunTests {
    /// agent/tests/planted_maps.py's `key_and_doors`: a switch door, the blue key behind it, a blue key door, the exit.
    static func keyAndDoorsWAD(in directory: String) throws -> String {
        let script = """
            import sys; from pathlib import Path
            sys.path.insert(0, 'agent/tests')
            from planted_maps import key_and_doors
            print(key_and_doors(Path(sys.argv[1]))[0])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.python)
        process.arguments = ["-c", script, directory]
        process.currentDirectoryURL = Repository.root
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            throw LaunchError("could not build the key-and-doors map (status \(process.terminationStatus))")
        }
        return path
    }

    @Test("the navigator plays the planner's route through a switch door and a key door to the exit, with a replay-verified demo")
    func navigatorFinishesAPlantedMap() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let directory = try AgentFixtures.temporaryDirectory("pt-nav")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let map = try await harness.services.maps.importWAD(fileAt: try Self.keyAndDoorsWAD(in: directory), name: "keys").map
            let plan = try await harness.services.progressions.progression(id: map.id, mapName: "MAP01", skill: 3)
            #expect(plan.verdict == .completable, "\(plan.reason)")
            #expect(plan.steps.contains { $0.kind == .pickup && $0.item == "blue_card" })

            // No agent named: a level gets the navigator.
            let started = try await harness.launcher.startTest(TestRunRequest(mapID: map.id, map: "MAP01", episodes: 1, params: ["episode_time": 60]))
            let finished = try await harness.withWorker { _ in
                try await harness.waitForRun(started.id, timeout: .seconds(300)) { $0.status.isFinal }
            }
            #expect(finished.status == .completed, "\(finished.error ?? "") \(finished.stderrTail ?? "")")
            #expect(finished.agent == "navigator")
            let results = try await harness.services.reports.testResults(id: started.id)
            let completion = try #require(results.completion)
            #expect(completion.verdict == .completed, "\(completion.summary)")
            #expect(completion.planner?.verdict == .completable)
            let proof = try #require(completion.proof)
            #expect(proof.verified, "\(proof.note ?? "")")
            #expect(proof.timeSeconds <= 60)
            #expect(proof.demoURL != nil)
            #expect(results.episodes.first?.goal != nil, "the navigator's last goal is kept with the episode")
        }
    }
}
