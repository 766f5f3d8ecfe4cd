import Foundation
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
@testable import PlaytestWorker
import Testing

/// A completed test run's evidence (`run.evidence`): the real agent replays each episode's demo into a WebM video and
/// colour frames; a lost demo or a replay past its limit leaves that episode's evidence missing with the reason.
@Suite("Run evidence", .serialized, .enabled(if: AgentFixtures.hasRuntime && RunHarness.vizdoomDirectory != nil, "needs the agent venv (.venv)"))
struct EvidenceJobTests {
    static let shortEpisodes: [String: JSONValue] = ["episode_time": 4, "seed": 7]

    @Test("each episode of a completed run gets a checked video and colour frames, stored once")
    func videoAndFrames() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let runID = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 2, params: Self.shortEpisodes)).id
            let stored = try await harness.withWorker(evidence: .init()) { _ in
                let run = try await harness.waitForRun(runID) { $0.status.isFinal }
                #expect(run.status == .completed, "\(run.error ?? "")")
                return try await Deadline.value("both episodes' evidence", within: .seconds(240), every: .milliseconds(250)) {
                    let rows = try await harness.tests.evidence(runID: runID)
                    return rows.count == 2 ? rows : nil
                }
            }
            #expect(stored.map(\.episode) == [1, 2])
            for row in stored {
                #expect(row.missing == nil, "\(row.summary)")
                let summary = try PlaytestJSON.decoder().decode(EvidenceSummary.self, from: Data(row.summary.utf8))
                #expect(summary.drift == nil, "a faithful replay never leaves the recorded path")
                #expect((summary.checkedTics ?? 0) > 20, "the replay was checked against the telemetry (4 s at one step per 4 tics)")
                #expect(summary.visual?.error == nil && (summary.visual?.frames ?? 0) > 20, "the scan for visual defects ran first")
            }
            let artifacts = try await harness.tests.artifacts(runID: runID)
            for episode in [1, 2] {
                let videos = artifacts.filter { $0.kind == "video" && $0.episode == episode }
                let video = try #require(videos.first)
                #expect(videos.count == 1)
                #expect(video.blobKey == "videos/\(runID)/episode_000\(episode).webm")
                #expect(video.contentType == "video/webm" && video.bytes > 10_000)
                let head = try await harness.engines.blobs.get(video.blobKey).getBytes(at: 0, length: 4)
                #expect(head == [0x1A, 0x45, 0xDF, 0xA3], "a WebM (EBML) file")
                let frames = artifacts.filter { $0.kind == "frame" && $0.episode == episode }
                #expect(frames.contains { (35...45).contains($0.tic) }, "the agent's first-second screenshot has a colour twin")
                for frame in frames {
                    let png = try await harness.engines.blobs.get(frame.blobKey).getBytes(at: 0, length: 8)
                    #expect(png == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                }
            }
            let view = try await harness.services.reports.evidence(id: runID)
            #expect(view.requested && view.episodes.map(\.state) == ["made", "made"])
            #expect(view.episodes.allSatisfy { $0.video != nil && !$0.frames.isEmpty })
            let job = try #require(try await harness.engines.queue.job(id: "evidence:\(runID)"))
            #expect(job.state == .completed && job.attempt == 1)
            #expect(harness.agentPIDs().isEmpty, "no replay engine is left running")
        }
    }

    @Test("a lost demo and a replay past its limit leave that episode's evidence missing with the reason, and kill the replay")
    func missingEvidence() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let runID = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 2, params: Self.shortEpisodes)).id
            try await harness.withWorker { _ in _ = try await harness.waitForRun(runID) { $0.status == .completed } }
            #expect(try await harness.tests.evidence(runID: runID).isEmpty, "a pool without the evidence handler leaves it queued")
            let demo = try #require(try await harness.tests.artifacts(runID: runID).first { $0.kind == "demo" && $0.episode == 1 })
            try await harness.engines.blobs.delete(demo.blobKey)

            // A "replay" that never ends, with a child of its own like VizDoom's engine.
            let folder = try AgentFixtures.temporaryDirectory("evidence-hang")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let hanging = try AgentFixtures.fakeRuntime(script: "sleep 300 & echo $! > \(folder)/child; echo $$ > \(folder)/parent; wait", in: folder)
            let stored = try await harness.withWorker(runtime: hanging, evidence: .init(perGameSecond: 0, minimum: .seconds(2))) { _ in
                try await Deadline.value("both episodes' evidence", within: .seconds(60), every: .milliseconds(100)) {
                    let rows = try await harness.tests.evidence(runID: runID)
                    return rows.count == 2 ? rows : nil
                }
            }
            #expect(stored[0].missing?.contains("no longer in the blob store") == true, "\(stored[0].missing ?? "made")")
            #expect(stored[1].missing?.contains("longer than its limit") == true, "\(stored[1].missing ?? "made")")
            let artifacts = try await harness.tests.artifacts(runID: runID)
            #expect(!artifacts.contains { $0.kind == "video" || $0.kind == "frame" })
            for name in ["parent", "child"] {
                let pid = try #require(Int32(try String(contentsOfFile: folder + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
                // Killed at once; init reaps the orphaned child a moment later.
                let gone = try? await Deadline.value("the \(name) to end", within: .seconds(5), every: .milliseconds(50)) {
                    AgentFixtures.processExists(pid) ? nil : true
                }
                #expect(gone == true, "the replay's \(name) process was killed with its group")
            }
            let view = try await harness.services.reports.evidence(id: runID)
            #expect(view.episodes.map(\.state) == ["missing", "missing"])
            #expect(try await harness.runs.run(id: runID)?.status == .completed, "the run's results are untouched")
        }
    }

    @Test("a worker shutting down stops the replay with its group and leaves the episode to the next attempt")
    func shutdownStopsTheReplay() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            let runID = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 1, params: ["episode_time": 2, "seed": 7])).id
            try await harness.withWorker { _ in _ = try await harness.waitForRun(runID) { $0.status == .completed } }
            let folder = try AgentFixtures.temporaryDirectory("evidence-shutdown")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let hanging = try AgentFixtures.fakeRuntime(script: "sleep 300 & echo $! > \(folder)/child; echo $$ > \(folder)/parent; wait", in: folder)
            try await harness.withWorker(runtime: hanging, evidence: .init(perGameSecond: 0, minimum: .seconds(300))) { _ in
                _ = try await Deadline.value("the replay to start", within: .seconds(30), every: .milliseconds(100)) {
                    FileManager.default.fileExists(atPath: folder + "/child") ? true : nil
                }
            }
            #expect(try await harness.tests.evidence(runID: runID).isEmpty, "a stopped replay is not missing evidence")
            for name in ["parent", "child"] {
                let pid = try #require(Int32(try String(contentsOfFile: folder + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
                let gone = try? await Deadline.value("the \(name) to end", within: .seconds(5), every: .milliseconds(50)) {
                    AgentFixtures.processExists(pid) ? nil : true
                }
                #expect(gone == true, "the replay's \(name) process was killed with its group")
            }
            let job = try #require(try await harness.engines.queue.job(id: "evidence:\(runID)"))
            #expect(job.state == .available || job.state == .retryable, "\(job.state)")
        }
    }

    @Test("evidence needs the demos; a run without it offers no job")
    func requestedOrNot() async throws {
        try await RunHarness.with(.sqlite) { harness in
            let map = try await harness.importScenario("defend_the_center")
            await #expect(throws: RunRequestError.self) {
                try await harness.launcher.startTest(TestRunRequest(mapID: map.id, agent: "random", episodes: 1,
                                                                    params: ["record_demos": false, "evidence": true]))
            }
            let runID = try await harness.launcher.startTest(TestRunRequest(
                mapID: map.id, agent: "random", episodes: 1, params: ["episode_time": 2, "evidence": false])).id
            try await harness.withWorker { _ in _ = try await harness.waitForRun(runID) { $0.status == .completed } }
            #expect(try await harness.engines.queue.job(id: "evidence:\(runID)") == nil)
            #expect(try await harness.services.reports.evidence(id: runID).requested == false)
        }
    }
}
