import Foundation
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing

/// Stores a recorded transcript the way the worker does (episodes counted from 1): steps, streamed events, finished
/// episodes.
struct TranscriptIngest {
    let telemetry: TestTelemetryStore
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
        for raw in messages {
            let message = raw.renumberingEpisodes(by: 1)
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

@Suite("RunReports", .enabled(if: AgentTranscripts.isAvailable, "agent/tests/data is not reachable"))
struct RunReportsTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    static let now = start.addingTimeInterval(600)

    static func reports(_ harness: ServicesHarness) -> RunReports {
        RunReports(engines: harness.engines, now: { Self.now })
    }

    /// Marks a run running as of ``start``.
    static func started(_ harness: ServicesHarness, _ id: String) async throws {
        #expect(try await RunStore(sql: harness.engines.sql).markRunning(id: id, from: [.pending], at: start))
    }

    @Test("test results over a real transcript match TestRunTelemetry's own view; a completed run serves its summary", arguments: TestDatabase.available)
    func testResults(_ kind: TestDatabase.Kind) async throws {
        try await ServicesHarness.with(kind) { harness in
            let map = try await harness.addMap()
            let id = try await harness.addRun(.testing, on: map, target: 1)
            try await Self.started(harness, id)
            let ingest = TranscriptIngest(telemetry: TestTelemetryStore(sql: harness.engines.sql), runID: id)
            let (expected, stepCount) = try await ingest.store(try AgentTranscripts.messages("evaluate_random_defend_the_center.jsonl"))
            // A retried ingest of the same transcript changes nothing.
            _ = try await ingest.store(try AgentTranscripts.messages("evaluate_random_defend_the_center.jsonl"))

            let reports = Self.reports(harness)
            let results = try await reports.testResults(id: id)
            #expect(!expected.episodes.isEmpty)
            #expect(results.episodes == expected.episodes)
            #expect(results.episodes.map(\.episodeNum) == Array(1...expected.episodes.count), "episodes count from 1")
            #expect(results.episodes.allSatisfy { !$0.events.isEmpty })
            #expect(results.aggregateMetrics == expected.aggregate)
            #expect(results.episodesCompleted == expected.episodes.count)
            #expect(results.totalEpisodes == 1)
            #expect(results.status == .running)
            #expect(results.mapID == map.id?.uuidString.lowercased())
            #expect(results.startedAt == Self.start)
            #expect(results.durationSeconds == 600, "from the start to now while the run goes")
            #expect(try await TestTelemetryStore(sql: harness.engines.sql).stepCount(runID: id) == stepCount)

            // The JSON has the seed's keys, plus the run's own.
            let object = try #require(try JSONSerialization.jsonObject(with: try PlaytestJSON.data(results)) as? [String: Any])
            #expect(Set(object.keys) == ["test_id", "status", "map_id", "map_name", "map", "agent", "checkpoint", "total_episodes",
                                         "episodes_completed", "episodes", "aggregate_metrics", "hardness", "started_at",
                                         "completed_at", "duration_seconds", "error", "completion"])

            // Once completed, the aggregate is the one written when it completed (runs.summary), not a fresh count.
            let written = AggregateMetrics(episodes: Array(expected.episodes.prefix(1)))
            try await harness.services.lifecycle.complete(
                id, kind: .testing, progress: expected.episodes.count, summary: .testing(written),
                announcement: .testingCompleted(TestingCompleted(testID: id, episodesCompleted: 1, totalKills: 0, meanKills: 0, timestamp: Date())))
            let completed = try await reports.testResults(id: id)
            #expect(completed.aggregateMetrics == written)
            #expect(completed.status == .completed && completed.completedAt != nil)
            let view = try await reports.run(id: id)
            #expect(try view.summary() == (try StoredJSON.decode(JSONValue.self, from: try StoredJSON.encode(written), table: "test")))
        }
    }

    @Test("test status falls back to SQL without a live hash and prefers the hash when present", arguments: TestDatabase.available)
    func testStatus(_ kind: TestDatabase.Kind) async throws {
        try await ServicesHarness.with(kind) { harness in
            let map = try await harness.addMap()
            let id = try await harness.addRun(.testing, on: map, target: 4)
            // A worker holds its job, so a stop request has to wait for it.
            _ = try await harness.engines.queue.claim(workerID: "test", kinds: [RunJob.testKind], lease: .seconds(60))
            try await Self.started(harness, id)
            let (expected, stepCount) = try await TranscriptIngest(telemetry: TestTelemetryStore(sql: harness.engines.sql), runID: id)
                .store(try AgentTranscripts.messages("evaluate_explorer_map01.jsonl"))
            let finished = expected.episodes.count
            #expect(finished == 2)

            let reports = Self.reports(harness)
            let fromSQL = try await reports.testStatus(id: id)
            #expect(fromSQL.status == .running)
            #expect(fromSQL.mapID == map.id?.uuidString.lowercased() && fromSQL.mapName == "Test map" && fromSQL.map == "MAP01")
            #expect(fromSQL.steps == stepCount)
            #expect(fromSQL.progress.currentEpisode == finished)
            #expect(fromSQL.progress.totalEpisodes == 4)
            #expect(fromSQL.progress.progressPercent == 50)
            #expect(fromSQL.progress.elapsedSeconds == 600)
            #expect(fromSQL.progress.estimatedRemainingSeconds == 600)
            let last = try #require(expected.episodes.last)
            #expect(fromSQL.latestEpisode?.episodeNum == 2)
            #expect(fromSQL.latestEpisode?.kills == last.kills)
            #expect(fromSQL.latestEpisode?.healthRemaining == last.finalHealth)

            // While a worker plays it (hash `running`, heartbeat alive), the live hash alone answers.
            let liveLatest = TestStatus.LatestEpisode(episodeNum: 3, kills: 4, healthRemaining: -12, durationSeconds: 3.5, timestamp: Self.now)
            try await harness.services.live.update(runID: id, LiveRunSnapshot(
                status: .running, mapID: fromSQL.mapID, mapName: "Test map", map: "MAP01", checkpoint: nil, currentEpisode: 4, totalEpisodes: 4,
                steps: 99_999, latestEpisode: try PlaytestJSON.string(liveLatest), startedAt: Self.start, updatedAt: Self.now))
            let fromLive = try await reports.testStatus(id: id)
            #expect(fromLive.steps == 99_999)
            #expect(fromLive.progress.currentEpisode == 4)
            #expect(fromLive.progress.progressPercent == 75, "three of four episodes finished")
            #expect(fromLive.latestEpisode == liveLatest)
            #expect(fromLive.status == .running && fromLive.mapName == "Test map" && fromLive.map == "MAP01")

            // A stop request shows at once, before the worker's hash catches up.
            #expect(try await harness.services.lifecycle.requestStop(kind: .testing, ids: [id]) == [id])
            let stopping = try await reports.testStatus(id: id)
            #expect(stopping.status == .stopping)
            #expect(stopping.steps == 99_999, "the newest figures still come from the hash")

            // A finished run answers from SQL alone.
            #expect(try await RunStore(sql: harness.engines.sql).finish(
                id: id, status: .failed, from: [.stopping], error: "agent crashed", stderrTail: nil, at: Self.start.addingTimeInterval(60)))
            let over = try await reports.testStatus(id: id)
            #expect(over.status == .failed)
            #expect(over.error == "agent crashed")
            #expect(over.steps == stepCount)
            #expect(over.progress.elapsedSeconds == 60)
            #expect(over.progress.estimatedRemainingSeconds == nil)
            await #expect(throws: RunReportError.self) { _ = try await reports.trainingStatus(id: id) }
        }
    }

    @Test("training log and status over a real transcript", arguments: TestDatabase.available)
    func training(_ kind: TestDatabase.Kind) async throws {
        try await ServicesHarness.with(kind) { harness in
            let id = try await harness.addRun(.training, on: try await harness.addMap(), target: 300)
            try await Self.started(harness, id)
            let progress: [TrainProgressMessage] = try AgentTranscripts.messages("train_defend_the_center.jsonl").compactMap {
                if case .trainProgress(let message) = $0 { return message } else { return nil }
            }
            let rows = progress.enumerated().map { TrainingMetricRow($1, at: Self.start.addingTimeInterval(Double($0))) }
            try await TrainingTelemetryStore(sql: harness.engines.sql).insertTrainingMetrics(runID: id, rows)

            let reports = Self.reports(harness)
            let log = try await reports.trainingLog(id: id)
            #expect(log.iterations.map(\.iteration) == progress.map(\.iteration))
            let losses = progress.compactMap(\.loss)
            #expect(!losses.isEmpty)
            #expect(log.maxLoss == losses.max())
            #expect(log.minLoss == losses.min())
            #expect(log.finalLoss == losses.last)
            #expect(log.finalIteration == progress.last?.iteration)
            #expect(log.maxIterations == 300)
            #expect(log.durationSeconds == 600)
            #expect(log.mapName == "Test map" && log.map == "MAP01")

            let fromSQL = try await reports.trainingStatus(id: id)
            let last = try #require(progress.last)
            #expect(fromSQL.progress.currentIteration == last.iteration)
            #expect(fromSQL.progress.maxIterations == 300)
            #expect(fromSQL.latestMetrics?.dqnLoss == last.loss)
            #expect(fromSQL.latestMetrics?.iteration == last.iteration)

            let liveMetrics = TrainingStatus.LatestMetrics(iteration: 150, dqnLoss: 0.5, epsilon: 0.4, meanReward: nil, stepsPerSecond: 10, timestamp: Self.now)
            try await harness.services.live.update(runID: id, LiveRunSnapshot(
                status: .running, mapID: fromSQL.mapID, mapName: "Test map", map: "MAP01", currentIteration: 150, maxIterations: 300,
                latestMetrics: try liveMetrics.json(), startedAt: Self.start, updatedAt: Self.now))
            let fromLive = try await reports.trainingStatus(id: id)
            #expect(fromLive.progress.currentIteration == 150)
            #expect(fromLive.progress.progressPercent == 50)
            #expect(fromLive.progress.estimatedRemainingSeconds == 600)
            #expect(fromLive.latestMetrics == liveMetrics)

            // Once completed, the final figures are the summary's.
            try await harness.services.lifecycle.complete(
                id, kind: .training, progress: 300, summary: .training(TrainingSummary(finalIteration: 300, finalLoss: 0.1, durationSeconds: 42)),
                announcement: .trainingCompleted(TrainingCompleted(trainingID: id, finalIteration: 300, finalLoss: 0.1, durationSeconds: 42, timestamp: Date())))
            let completed = try await reports.trainingLog(id: id)
            #expect(completed.finalIteration == 300 && completed.durationSeconds == 42)
        }
    }
}
