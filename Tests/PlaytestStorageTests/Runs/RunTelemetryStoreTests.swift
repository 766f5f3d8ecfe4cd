import Foundation
import PlaytestCore
@testable import PlaytestStorage
import PlaytestTestSupport
import SQLKit
import Testing

/// One row in every run table for a run.
enum RunTelemetryFixtures {
    static func fill(_ engine: SQLEngine, runID: String) async throws {
        let tests = TestTelemetryStore(sql: engine)
        let trainings = TrainingTelemetryStore(sql: engine)
        try await tests.insertSteps(runID: runID, RunFixtures.steps(episode: 1, count: 3))
        let event = TelemetryEvent(frame: 10, x: 1, y: 2, detail: .kill(killcount: 1, health: 100, ammo: 50))
        try await tests.saveEpisode(runID: runID, metrics: metrics(episode: 1, events: [event]), log: log(episode: 1, events: [event]))
        try await trainings.insertTrainingMetrics(runID: runID, [metric(iteration: 100)])
        try await trainings.addCheckpoint(checkpoint(id: "ckpt_\(runID)", runID: runID, iteration: 100))
        try await tests.addArtifact(artifact(id: "art_\(runID)", runID: runID, episode: 1, tic: 10))
        try await tests.recordEvidence(EpisodeEvidence(runID: runID, episode: 1, missing: nil, summary: "{}", createdAt: RunFixtures.epoch))
        try await tests.recordProse(RunProse(runID: runID, model: "m", prompt: "{}", answer: "a", error: nil, seconds: 1, createdAt: RunFixtures.epoch))
    }

    static func metrics(episode: Int, kills: Int = 1, events: [TelemetryEvent] = []) -> EpisodeMetrics {
        EpisodeMetrics(episodeNum: episode, kills: kills, deaths: 1, durationSeconds: 12.5, healthLost: 100, ammoUsed: 7,
                       finalHealth: 0, exitReached: false, coverage: 0.25, endReason: .death, secretsFound: 0,
                       itemsCollected: 1, events: events)
    }

    static func log(episode: Int, events: [TelemetryEvent] = []) -> EpisodeLog {
        EpisodeLog(episodeNum: episode, durationSeconds: 12.5, frames: 437, events: events,
                   healthTimeline: [HealthPoint(frame: 0, health: 100), HealthPoint(frame: 437, health: 0)])
    }

    static func metric(iteration: Int, loss: Double? = 0.5) -> TrainingMetricRow {
        TrainingMetricRow(iteration: iteration, loss: loss, epsilon: 0.9, meanQ: nil, meanEpisodeReward: 3.5, meanEpisodeKills: 1.25,
                          stepsPerSecond: 400, episodes: iteration / 100, recordedAt: RunFixtures.epoch.addingTimeInterval(Double(iteration)))
    }

    static func checkpoint(id: String, runID: String?, iteration: Int, final: Bool = false) -> CheckpointInfo {
        CheckpointInfo(id: id, runID: runID, iteration: iteration, epsilon: 0.5, final: final, blobKey: "runs/\(runID ?? "x")/\(id).pt",
                       bytes: 123_456, actionCombinations: "turn_lr;attack", actionCount: 6, scenario: "defend_the_center.cfg",
                       createdAt: RunFixtures.epoch)
    }

    static func artifact(id: String, runID: String, episode: Int, tic: Int) -> ArtifactInfo {
        ArtifactInfo(id: id, runID: runID, kind: "screenshot", episode: episode, tic: tic, reason: "death",
                     blobKey: "runs/\(runID)/\(id).png", bytes: 2048, contentType: "image/png", createdAt: RunFixtures.epoch)
    }
}

@Suite("Test and training telemetry stores")
struct RunTelemetryStoreTests {
    static let methods: [(TestDatabase.Kind, StepIngestMethod)] = TestDatabase.available.flatMap { kind in
        StepIngestMethod.allCases.map { (kind, $0) }
    }

    @Test("the same step batch twice stores once, with every column", arguments: methods)
    func stepsAreIdempotent(_ kind: TestDatabase.Kind, _ method: StepIngestMethod) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_s", mapID: map)
            let telemetry = TestTelemetryStore(sql: db.engine, stepIngest: method)
            let rows = RunFixtures.steps(episode: 0, count: 500)
            try await telemetry.insertSteps(runID: "test_s", rows)
            try await telemetry.insertSteps(runID: "test_s", rows)
            // An overlapping retry adds only the new rows.
            try await telemetry.insertSteps(runID: "test_s", RunFixtures.steps(episode: 0, count: 100, from: 451))
            try await telemetry.insertSteps(runID: "test_s", [])
            let stored = try await telemetry.steps(runID: "test_s", episode: 0)
            #expect(stored == RunFixtures.steps(episode: 0, count: 550))
            #expect(stored.contains { $0.reward == nil } && stored.contains { $0.keys == nil } && stored.contains { $0.keys?.holds(.red) == true })
            #expect(try await telemetry.stepCount(runID: "test_s") == 550)
            #expect(try await telemetry.steps(runID: "test_s", episode: 1).isEmpty)
        }
    }

    @Test("a batch over the engine's parameter limit is split and stored whole", arguments: methods)
    func largeBatches(_ kind: TestDatabase.Kind, _ method: StepIngestMethod) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_l", mapID: map)
            let telemetry = TestTelemetryStore(sql: db.engine, stepIngest: method)
            // 15 parameters a row: 6000 rows is 90000 parameters, over both engines' limits.
            try await telemetry.insertSteps(runID: "test_l", RunFixtures.steps(episode: 2, count: 6000))
            #expect(try await telemetry.stepCount(runID: "test_l") == 6000)
            #expect(try await telemetry.steps(runID: "test_l", episode: 2).last?.step == 6000)
        }
    }

    @Test("the statements stay under the parameter limits")
    func statementChunks() throws {
        let rows = RunFixtures.steps(episode: 0, count: 5000)
        #expect(try StepIngest.valuesStatements(runID: "r", rows, maxParameters: 32_766).count == 3)
        #expect(try StepIngest.valuesStatements(runID: "r", rows, maxParameters: 65_535).count == 2)
        #expect(try StepIngest.valuesStatements(runID: "r", Array(rows.prefix(2184)), maxParameters: 32_766).count == 1)
    }

    @Test("episodes come back in order with their events; saving twice stores once", arguments: TestDatabase.available)
    func episodesWithEvents(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_e", mapID: map)
            let telemetry = TestTelemetryStore(sql: db.engine)
            let events1 = [
                TelemetryEvent(frame: 40, x: 1, y: 2, detail: .healthLost(before: 100, after: 80, damage: 20)),
                TelemetryEvent(frame: 80, x: 3, y: 4, detail: .kill(killcount: 1, health: 80, ammo: 40)),
                TelemetryEvent(frame: 90, x: 3, y: 4, detail: .stuck(durationTics: 140, radius: 16)),
            ]
            let events0 = [TelemetryEvent(frame: 5, x: 0, y: 0, detail: .death(health: -16, ammo: 3))]
            // Episode 1 finishes (and streams its events) before episode 0 is saved.
            try await telemetry.insertEvents(runID: "test_e", episode: 1, firstSeq: 0, Array(events1.prefix(2)))
            try await telemetry.insertEvents(runID: "test_e", episode: 1, firstSeq: 2, Array(events1.suffix(1)))
            try await telemetry.insertEvents(runID: "test_e", episode: 1, firstSeq: 1, Array(events1.suffix(2)))
            try await telemetry.saveEpisode(runID: "test_e", metrics: RunTelemetryFixtures.metrics(episode: 1, events: events1),
                                            log: RunTelemetryFixtures.log(episode: 1, events: events1))
            try await telemetry.saveEpisode(runID: "test_e", metrics: RunTelemetryFixtures.metrics(episode: 0, kills: 0, events: events0),
                                            log: RunTelemetryFixtures.log(episode: 0, events: events0))
            try await telemetry.saveEpisode(runID: "test_e", metrics: RunTelemetryFixtures.metrics(episode: 1, kills: 9, events: events1),
                                            log: RunTelemetryFixtures.log(episode: 1, events: events1))

            let episodes = try await telemetry.episodes(runID: "test_e")
            #expect(episodes == [RunTelemetryFixtures.metrics(episode: 0, kills: 0, events: events0),
                                 RunTelemetryFixtures.metrics(episode: 1, events: events1)])
            #expect(try await telemetry.finishedEpisodeCount(runID: "test_e") == 2)
            #expect(try await telemetry.episodeLog(runID: "test_e", episode: 1) == RunTelemetryFixtures.log(episode: 1, events: events1))
            #expect(try await telemetry.episodeLog(runID: "test_e", episode: 7) == nil)
            #expect(try await telemetry.latestEpisode(runID: "test_e")?.metrics.episodeNum == 1)
            #expect(try await telemetry.events(runID: "test_e", episode: nil) == [0: events0, 1: events1])
            #expect(try await telemetry.events(runID: "test_e", episode: nil, types: [.stuck, .death]) == [0: events0, 1: [events1[2]]],
                    "only the types asked for")
            #expect(try await telemetry.events(runID: "test_e", episode: 1, types: [.kill]) == [1: [events1[1]]])
            #expect(try await telemetry.events(runID: "test_e", episode: nil, types: []).isEmpty)
        }
    }

    @Test("a flush's episodes, events and artifacts go in batches, each row once however often it is retried", arguments: TestDatabase.available)
    func batches(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_b", mapID: map)
            let telemetry = TestTelemetryStore(sql: db.engine)
            // 400 episodes of 3 events: the events take more than one statement on SQLite (9 binds a row).
            let episodes = (0..<400).map { episode in
                let events = (0..<3).map { TelemetryEvent(frame: 10 * $0, x: Double(episode), y: 0, detail: .kill(killcount: $0 + 1, health: 100, ammo: 50)) }
                return (metrics: RunTelemetryFixtures.metrics(episode: episode, events: events), log: RunTelemetryFixtures.log(episode: episode, events: events))
            }
            try await telemetry.saveEpisodes(runID: "test_b", Array(episodes.prefix(250)))
            try await telemetry.saveEpisodes(runID: "test_b", episodes)
            let stored = try await telemetry.episodes(runID: "test_b")
            #expect(stored == episodes.map(\.metrics))
            #expect(try await telemetry.episodes(runID: "test_b", withEvents: false).allSatisfy(\.events.isEmpty))
            let artifacts = (0..<5).map { RunTelemetryFixtures.artifact(id: "art_b\($0)", runID: "test_b", episode: $0, tic: 35) }
            try await telemetry.addArtifacts(artifacts)
            try await telemetry.addArtifacts(artifacts)
            #expect(try await telemetry.artifacts(runID: "test_b") == artifacts)
        }
    }

    @Test("discardEpisodes removes the unfinished episode's rows and keeps the earlier ones", arguments: TestDatabase.available)
    func discardEpisodes(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "test_d", mapID: map)
            let telemetry = TestTelemetryStore(sql: db.engine)
            let event = TelemetryEvent(frame: 8, x: 0, y: 0, detail: .kill(killcount: 1, health: 100, ammo: 50))
            for episode in 0..<2 {
                try await telemetry.insertSteps(runID: "test_d", RunFixtures.steps(episode: episode, count: 20))
                try await telemetry.saveEpisode(runID: "test_d", metrics: RunTelemetryFixtures.metrics(episode: episode, events: [event]),
                                                log: RunTelemetryFixtures.log(episode: episode, events: [event]))
            }
            // Episode 2 was cut off mid-way: steps and an event, no episode row.
            try await telemetry.insertSteps(runID: "test_d", RunFixtures.steps(episode: 2, count: 7))
            try await telemetry.insertEvents(runID: "test_d", episode: 2, firstSeq: 0, [event])
            try await telemetry.discardEpisodes(runID: "test_d", from: 2)
            #expect(try await telemetry.steps(runID: "test_d", episode: 2).isEmpty)
            #expect(try await telemetry.steps(runID: "test_d", episode: 1).count == 20)
            #expect(try await telemetry.finishedEpisodeCount(runID: "test_d") == 2)
            #expect(try await telemetry.episodes(runID: "test_d").map(\.events.count) == [1, 1])
            // The restarted episode 2 stores afresh.
            try await telemetry.insertSteps(runID: "test_d", RunFixtures.steps(episode: 2, count: 3))
            #expect(try await telemetry.steps(runID: "test_d", episode: 2).count == 3)
            try await telemetry.discardEpisodes(runID: "test_d", from: 1)
            #expect(try await telemetry.finishedEpisodeCount(runID: "test_d") == 1)
            #expect(try await telemetry.stepCount(runID: "test_d") == 20)
        }
    }

    @Test("training metrics store once, read by iteration, and discard past a checkpoint", arguments: TestDatabase.available)
    func trainingMetrics(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "train_m", kind: .training, mapID: map, target: 1000)
            let telemetry = TrainingTelemetryStore(sql: db.engine)
            let rows = [300, 100, 200, 400].map { RunTelemetryFixtures.metric(iteration: $0, loss: $0 == 100 ? nil : Double($0) / 1000) }
            try await telemetry.insertTrainingMetrics(runID: "train_m", rows)
            try await telemetry.insertTrainingMetrics(runID: "train_m", Array(rows.prefix(2)))
            #expect(try await telemetry.trainingMetrics(runID: "train_m") == rows.sorted { $0.iteration < $1.iteration })
            #expect(try await telemetry.latestTrainingMetric(runID: "train_m")?.iteration == 400)
            try await telemetry.discardTrainingMetrics(runID: "train_m", after: 200)
            #expect(try await telemetry.trainingMetrics(runID: "train_m").map(\.iteration) == [100, 200])
        }
    }

    @Test("checkpoints and artifacts round-trip and add once", arguments: TestDatabase.available)
    func checkpointsAndArtifacts(_ kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let map = try await RunFixtures.map(db)
            try await RunFixtures.run(db, id: "train_c", kind: .training, mapID: map)
            let telemetry = TrainingTelemetryStore(sql: db.engine)
            let files = TestTelemetryStore(sql: db.engine)
            let late = RunTelemetryFixtures.checkpoint(id: "ckpt_b", runID: "train_c", iteration: 2000, final: true)
            let early = RunTelemetryFixtures.checkpoint(id: "ckpt_a", runID: "train_c", iteration: 1000)
            let imported = CheckpointInfo(id: "ckpt_i", runID: nil, iteration: 0, epsilon: 0.1, final: true, blobKey: "checkpoints/ckpt_i.pt",
                                          bytes: 9, actionCombinations: nil, actionCount: nil, scenario: nil, createdAt: RunFixtures.epoch)
            for info in [late, early, late, imported] { try await telemetry.addCheckpoint(info) }
            // Same run and iteration under another id: the first one stays.
            try await telemetry.addCheckpoint(RunTelemetryFixtures.checkpoint(id: "ckpt_dup", runID: "train_c", iteration: 1000))
            #expect(try await telemetry.checkpoints(runID: "train_c") == [early, late])
            #expect(try await telemetry.checkpoint(id: "ckpt_b") == late)
            #expect(try await telemetry.checkpoint(id: "ckpt_i") == imported)
            #expect(try await telemetry.checkpoint(id: "ckpt_dup") == nil)
            #expect(try await telemetry.latestCheckpoint(runID: "train_c") == late)
            #expect(try await telemetry.latestCheckpoint(runID: "train_none") == nil)
            // The final checkpoint written at the iteration of a periodic one (a stop while it was saved) marks it final.
            try await telemetry.addCheckpoint(RunTelemetryFixtures.checkpoint(id: "ckpt_stop", runID: "train_c", iteration: 1000, final: true))
            var finalEarly = early
            finalEarly.final = true
            #expect(try await telemetry.checkpoints(runID: "train_c") == [finalEarly, late])

            let shot = RunTelemetryFixtures.artifact(id: "art_2", runID: "train_c", episode: 1, tic: 40)
            let first = RunTelemetryFixtures.artifact(id: "art_1", runID: "train_c", episode: 0, tic: 400)
            for info in [shot, first, shot] { try await files.addArtifact(info) }
            var sameKey = RunTelemetryFixtures.artifact(id: "art_3", runID: "train_c", episode: 0, tic: 1)
            sameKey.blobKey = shot.blobKey
            try await files.addArtifact(sameKey)
            #expect(try await files.artifacts(runID: "train_c") == [first, shot])
            #expect(try await files.artifact(id: "art_2") == shot)
            #expect(try await files.artifact(id: "art_3") == nil)
        }
    }
}
