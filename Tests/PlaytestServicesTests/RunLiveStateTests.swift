import Foundation
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("RunLiveState")
struct RunLiveStateTests {
    static let snapshot = LiveRunSnapshot(
        status: .running, mapID: "0b0e2f4c-6b9e-4c1f-9a0e-2d4c5e6f7a8b", mapName: "Test map", map: "MAP01", checkpoint: "general", currentEpisode: 3, totalEpisodes: 10, steps: 1234, latestEpisode: #"{"episode_num":2}"#,
        startedAt: Date(timeIntervalSince1970: 1_790_000_000.5), updatedAt: Date(timeIntervalSince1970: 1_790_000_060.25))

    @Test("the hash and the heartbeat are written, read back and cleared", arguments: LiveStoreEngine.available)
    func snapshotRoundTrip(_ engine: LiveStoreEngine) async throws {
        try await engine.withStore { store in
            let live = RunLiveState(live: store)
            #expect(try await live.read(runID: "test_1") == nil)
            #expect(try await live.heartbeatAlive(runID: "test_1") == false)
            try await live.update(runID: "test_1", Self.snapshot)
            #expect(try await live.read(runID: "test_1") == Self.snapshot)
            #expect(try await live.heartbeatAlive(runID: "test_1"))
            #expect(try await store.hashGetAll("run:test_1:live")["current_episode"] == "3")
            let ttl = try #require(try await store.ttl("run:test_1:heartbeat"))
            #expect(ttl <= .seconds(15) && ttl > .seconds(5))

            // A later update without some values does not keep the old ones.
            var training = LiveRunSnapshot(status: .stopping, currentIteration: 500, maxIterations: 1000, updatedAt: Self.snapshot.updatedAt)
            training.latestMetrics = #"{"iteration":500}"#
            try await live.update(runID: "test_1", training)
            #expect(try await live.read(runID: "test_1") == training)

            try await live.clear(runID: "test_1")
            #expect(try await live.read(runID: "test_1") == nil)
            #expect(try await live.heartbeatAlive(runID: "test_1") == false)
        }
    }

    @Test("the heartbeat lapses when no update comes", arguments: LiveStoreEngine.available)
    func heartbeatExpires(_ engine: LiveStoreEngine) async throws {
        try await engine.withStore { store in
            let live = RunLiveState(live: store)
            try await live.update(runID: "test_2", Self.snapshot)
            // Shorten the heartbeat's TTL rather than wait 15 s.
            try await store.expire("run:test_2:heartbeat", ttl: .milliseconds(50))
            try await Deadline.wait("the heartbeat to lapse") { try await !live.heartbeatAlive(runID: "test_2") }
            #expect(try await live.read(runID: "test_2") != nil)
        }
    }

    @Test("messages go to run:<id>; run_status also to runs", arguments: LiveStoreEngine.available)
    func publishes(_ engine: LiveStoreEngine) async throws {
        try await engine.withStore { store in
            let live = RunLiveState(live: store)
            let perRun = try await live.subscribe(runIDs: ["test_3"])
            let lists = try await store.subscribe([RunLiveState.statusChannel])
            let at = Date(timeIntervalSince1970: 1_790_000_000)
            let progress = RunLiveMessage.testingProgress(TestingProgress(
                testID: "test_3", episode: 1, kills: 1, health: 90, timestamp: at, totalEpisodes: 2, episodesCompleted: 0,
                progressPercent: 0, steps: 10))
            let status = RunLiveMessage.runStatus(runID: "test_3", kind: .testing, status: .completed, timestamp: at)
            try await live.publish(runID: "test_4", .runStopped(runID: "test_4", timestamp: at))
            try await live.publish(runID: "test_3", progress)
            try await live.publish(runID: "test_3", status)

            var received: [RunLiveMessage] = []
            for await text in perRun.messages {
                received.append(try RunLiveMessage(json: text))
                if text.contains("run_status") { break }
            }
            #expect(received == [progress, status], "only run:test_3's messages")
            let notices = await LiveMessages.read(lists) { _ in true }
            #expect(notices.map(\.channel) == ["runs"])
            #expect(try RunLiveMessage(json: notices[0].payload) == status)
            await perRun.cancel()
            await lists.cancel()
        }
    }
}
