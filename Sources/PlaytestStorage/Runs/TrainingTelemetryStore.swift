import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// What a training run records: its learning curve (`training_metrics`) and, in
/// `TrainingTelemetryStore+Checkpoints.swift`, its checkpoints. Writes are idempotent on their keys.
public struct TrainingTelemetryStore: Sendable {
    let engine: SQLEngine

    public init(sql: SQLEngine) {
        self.engine = sql
    }

    var sql: any SQLDatabase { engine.sql }

    // MARK: training metrics

    public func insertTrainingMetrics(runID: String, _ rows: [TrainingMetricRow]) async throws {
        let insert = MultiRowInsert<TrainingMetricRow>(table: "training_metrics", columns: [
            "run_id", "iteration", "loss", "epsilon", "mean_q", "mean_episode_reward", "mean_episode_kills", "steps_per_s", "episodes",
            "recorded_at",
        ]) { m, values in
            values.add(runID); values.add(m.iteration); values.add(m.loss); values.add(m.epsilon); values.add(m.meanQ)
            values.add(m.meanEpisodeReward); values.add(m.meanEpisodeKills); values.add(m.stepsPerSecond); values.add(m.episodes)
            values.add(m.recordedAt)
        }
        try await insert.run(rows, on: engine)
    }

    /// The run's learning curve, by iteration.
    public func trainingMetrics(runID: String) async throws -> [TrainingMetricRow] {
        let rows = try await sql.raw("""
            SELECT iteration, loss, epsilon, mean_q, mean_episode_reward, mean_episode_kills, steps_per_s, episodes, recorded_at
            FROM training_metrics WHERE run_id = \(bind: runID) ORDER BY iteration
            """).all()
        return try rows.map(Self.trainingMetric(from:))
    }

    static func trainingMetric(from row: any SQLRow) throws -> TrainingMetricRow {
            TrainingMetricRow(
                iteration: try row.decode(column: "iteration", as: Int.self), loss: try row.decode(column: "loss", as: Double?.self),
                epsilon: try row.decode(column: "epsilon", as: Double.self), meanQ: try row.decode(column: "mean_q", as: Double?.self),
                meanEpisodeReward: try row.decode(column: "mean_episode_reward", as: Double?.self),
                meanEpisodeKills: try row.decode(column: "mean_episode_kills", as: Double?.self),
                stepsPerSecond: try row.decode(column: "steps_per_s", as: Double.self),
                episodes: try row.decode(column: "episodes", as: Int.self), recordedAt: try row.decode(column: "recorded_at", as: Date.self))
    }

    /// The newest learning figures.
    public func latestTrainingMetric(runID: String) async throws -> TrainingMetricRow? {
        let rows = try await sql.raw("""
            SELECT iteration, loss, epsilon, mean_q, mean_episode_reward, mean_episode_kills, steps_per_s, episodes, recorded_at
            FROM training_metrics WHERE run_id = \(bind: runID) ORDER BY iteration DESC LIMIT 1
            """).all()
        return try rows.map(Self.trainingMetric(from:)).first
    }

    /// Deletes the metrics past `iteration` (a training run resuming from a checkpoint).
    public func discardTrainingMetrics(runID: String, after iteration: Int) async throws {
        try await sql.raw("DELETE FROM training_metrics WHERE run_id = \(bind: runID) AND iteration > \(bind: iteration)").run()
    }
}
