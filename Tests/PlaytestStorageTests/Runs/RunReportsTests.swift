import Foundation
import PlaytestCore
import Testing
@testable import PlaytestStorage

/// Stores a recorded transcript the way the worker does: steps, streamed events, finished episodes.
struct TranscriptIngest {
    let telemetry: RunTelemetryStore
    let runID: String

    /// Returns what `TestRunTelemetry` made of the transcript, and the number of steps.
    func store(_ messages: [AgentMessage]) async throws -> (run: TestRunTelemetry, steps: Int) {
        var run = TestRunTelemetry()
        var nextSeq: [Int: Int] = [:]
        var steps: [StepRow] = []
        var stepCount = 0
        func save(_ update: TelemetryUpdate, episode: Int?) async throws {
            if let episode, !update.events.isEmpty {
                try await telemetry.insertEvents(runID: runID, episode: episode, firstSeq: nextSeq[episode, default: 0], update.events)
                nextSeq[episode, default: 0] += update.events.count
            }
            if let metrics = update.finishedEpisode, let log = update.finishedLog {
                try await telemetry.insertSteps(runID: runID, steps)
                steps.removeAll()
                try await telemetry.saveEpisode(runID: runID, metrics: metrics, log: log)
            }
        }
        for message in messages {
            if case .step(let sample) = message {
                steps.append(StepRow(sample))
                stepCount += 1
            }
            let episode = message.episode ?? run.current?.episode
            try await save(run.ingest(message), episode: episode)
        }
        try await save(run.finish(), episode: run.current?.episode)
        try await telemetry.insertSteps(runID: runID, steps)
        return (run, stepCount)
    }
}

@Suite("RunReports", .enabled(if: RunTranscripts.directory != nil, "agent/tests/data is not reachable"))
struct RunReportsTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_600)

    static func reports(_ db: TestDatabase, live: any LiveStore) -> RunReports {
        RunReports(runs: RunStore(sql: db.engine), telemetry: RunTelemetryStore(sql: db.engine), live: RunLiveState(live: live),
                   now: { Self.now })
    }

    @Test("test results over a real transcript match TestRunTelemetry's own view", arguments: TestDatabase.available)
    func testResults(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_r", mapID: map, target: 1, scenario: "defend_the_center.cfg")
            _ = try await store.markRunning(id: "test_r", at: RunFixtures.epoch)
            let ingest = TranscriptIngest(telemetry: RunTelemetryStore(sql: db.engine), runID: "test_r")
            let (expected, stepCount) = try await ingest.store(try RunTranscripts.messages("evaluate_random_defend_the_center.jsonl"))
            // A retried ingest of the same transcript changes nothing.
            _ = try await ingest.store(try RunTranscripts.messages("evaluate_random_defend_the_center.jsonl"))
            try await store.finish(id: "test_r", status: .completed, error: nil, stderrTail: nil, at: RunFixtures.epoch.addingTimeInterval(9))

            let memory = MemoryLiveStore()
            let run = try #require(try await store.run(id: "test_r"))
            let results = try await Self.reports(db, live: memory).testResults(run)
            await memory.shutdown()
            #expect(!expected.episodes.isEmpty)
            #expect(results.episodes == expected.episodes)
            #expect(results.episodes.allSatisfy { !$0.events.isEmpty })
            #expect(results.aggregateMetrics == expected.aggregate)
            #expect(results.hardness == HardnessScore(aggregate: expected.aggregate, mapHasExit: false))
            #expect(results.episodesCompleted == expected.episodes.count)
            #expect(results.totalEpisodes == 1)
            #expect(results.status == "completed")
            #expect(results.mapID == map)
            #expect(results.startedAt == RunFixtures.epoch)
            #expect(try await RunTelemetryStore(sql: db.engine).stepCount(runID: "test_r") == stepCount)

            // The JSON has the seed's snake_case keys and reads back.
            let data = try JSONEncoder().encode(results)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys) == ["test_id", "status", "map_id", "map_name", "agent", "checkpoint", "total_episodes",
                                         "episodes_completed", "episodes", "aggregate_metrics", "hardness", "started_at",
                                         "completed_at", "error"])
            let decoded = try JSONDecoder().decode(TestResults.self, from: data)
            #expect(decoded.episodes == results.episodes)
            #expect(decoded.completedAt == results.completedAt)
        }
    }

    @Test("test status falls back to SQL without a live hash and prefers the hash when present", arguments: TestDatabase.available)
    func testStatus(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_t", mapID: map, target: 4)
            _ = try await store.markRunning(id: "test_t", at: RunFixtures.epoch)
            let telemetry = RunTelemetryStore(sql: db.engine)
            let (expected, stepCount) = try await TranscriptIngest(telemetry: telemetry, runID: "test_t")
                .store(try RunTranscripts.messages("evaluate_explorer_map01.jsonl"))
            let finished = expected.episodes.count
            #expect(finished == 2)

            let memory = MemoryLiveStore()
            let reports = Self.reports(db, live: memory)
            let run = try #require(try await store.run(id: "test_t"))
            let fromSQL = try await reports.testStatus(run)
            #expect(fromSQL.status == "running")
            #expect(fromSQL.steps == stepCount)
            #expect(fromSQL.progress.currentEpisode == finished)
            #expect(fromSQL.progress.totalEpisodes == 4)
            #expect(fromSQL.progress.progressPercent == 50)
            #expect(fromSQL.progress.elapsedSeconds == 600)
            #expect(fromSQL.progress.estimatedRemainingSeconds == 600)
            let last = try #require(expected.episodes.last)
            #expect(fromSQL.latestEpisode?.episodeNum == last.episodeNum)
            #expect(fromSQL.latestEpisode?.kills == last.kills)
            #expect(fromSQL.latestEpisode?.healthRemaining == last.finalHealth)

            let liveLatest = TestStatus.LatestEpisode(episodeNum: 9, kills: 4, healthRemaining: 12, durationSeconds: 3.5, timestamp: Self.now)
            try await RunLiveState(live: memory).update(runID: "test_t", LiveRunSnapshot(
                status: "running", currentEpisode: 3, totalEpisodes: 4, steps: 99_999, latestEpisode: try liveLatest.json(),
                updatedAt: Self.now))
            let fromLive = try await reports.testStatus(run)
            #expect(fromLive.steps == 99_999)
            #expect(fromLive.progress.currentEpisode == 3)
            #expect(fromLive.latestEpisode == liveLatest)
            #expect(fromLive.status == "running")

            // A stop request shows at once, before the worker's hash catches up.
            #expect(try await store.requestStop(ids: ["test_t"], kind: .testing) == ["test_t"])
            let stopping = try await reports.testStatus(try #require(try await store.run(id: "test_t")))
            #expect(stopping.status == "stopping")
            #expect(stopping.steps == 99_999)

            // A finished run answers from SQL even while a stale hash lingers.
            try await store.finish(id: "test_t", status: .failed, error: "agent crashed", stderrTail: nil, at: RunFixtures.epoch.addingTimeInterval(60))
            let over = try await reports.testStatus(try #require(try await store.run(id: "test_t")))
            #expect(over.status == "failed")
            #expect(over.error == "agent crashed")
            #expect(over.steps == stepCount)
            #expect(over.progress.elapsedSeconds == 60)
            #expect(over.progress.estimatedRemainingSeconds == nil)
            await memory.shutdown()
        }
    }

    @Test("training log and status over a real transcript", arguments: TestDatabase.available)
    func training(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let store = RunStore(sql: db.engine)
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "train_t", kind: .training, mapID: map, target: 300)
            _ = try await store.markRunning(id: "train_t", at: RunFixtures.epoch)
            let telemetry = RunTelemetryStore(sql: db.engine)
            let progress: [TrainProgressMessage] = try RunTranscripts.messages("train_defend_the_center.jsonl").compactMap {
                if case .trainProgress(let message) = $0 { return message } else { return nil }
            }
            let rows = progress.enumerated().map { TrainingMetricRow($1, at: RunFixtures.epoch.addingTimeInterval(Double($0))) }
            try await telemetry.insertTrainingMetrics(runID: "train_t", rows)

            let memory = MemoryLiveStore()
            let reports = Self.reports(db, live: memory)
            let run = try #require(try await store.run(id: "train_t"))
            let log = try await reports.trainingLog(run)
            #expect(log.iterations.map(\.iteration) == progress.map(\.iteration))
            let losses = progress.compactMap(\.loss)
            #expect(!losses.isEmpty)
            #expect(log.maxLoss == losses.max())
            #expect(log.minLoss == losses.min())
            #expect(log.finalLoss == losses.last)
            #expect(log.finalIteration == progress.last?.iteration)
            #expect(log.maxIterations == 300)
            #expect(log.durationSeconds == 600)

            let fromSQL = try await reports.trainingStatus(run)
            let last = try #require(progress.last)
            #expect(fromSQL.progress.currentIteration == last.iteration)
            #expect(fromSQL.progress.maxIterations == 300)
            #expect(fromSQL.latestMetrics?.dqnLoss == last.loss)
            #expect(fromSQL.latestMetrics?.iteration == last.iteration)

            let liveMetrics = TrainingStatus.LatestMetrics(iteration: 150, dqnLoss: 0.5, epsilon: 0.4, meanReward: nil, stepsPerSecond: 10, timestamp: Self.now)
            try await RunLiveState(live: memory).update(runID: "train_t", LiveRunSnapshot(
                status: "running", currentIteration: 150, maxIterations: 300, latestMetrics: try liveMetrics.json(), updatedAt: Self.now))
            let fromLive = try await reports.trainingStatus(run)
            #expect(fromLive.progress.currentIteration == 150)
            #expect(fromLive.progress.progressPercent == 50)
            #expect(fromLive.progress.estimatedRemainingSeconds == 600)
            #expect(fromLive.latestMetrics == liveMetrics)
            await memory.shutdown()
        }
    }
}
