import Foundation
import PlaytestCore
import PlaytestStorage

/// What `runs.summary` holds once a run has completed: the figures its reports serve from then on without reading
/// every episode or metric again.
public enum RunSummary: Sendable, Hashable {
    /// A test run's aggregate metrics over its episodes.
    case testing(AggregateMetrics)
    case training(TrainingSummary)

    func json() throws -> String {
        switch self {
        case .testing(let aggregate): try StoredJSON.encode(aggregate)
        case .training(let summary): try StoredJSON.encode(summary)
        }
    }

    /// The summary of a run of `kind` stored as `text`; nil when there is none.
    init?(json text: String?, kind: RunKind) throws {
        guard let text else { return nil }
        switch kind {
        case .testing: self = .testing(try StoredJSON.decode(AggregateMetrics.self, from: text, table: "runs.summary"))
        case .training: self = .training(try StoredJSON.decode(TrainingSummary.self, from: text, table: "runs.summary"))
        }
    }
}

/// A completed training run's last figures.
public struct TrainingSummary: Codable, Sendable, Hashable {
    public var finalIteration: Int
    public var finalLoss: Double?
    /// From its start to its end, over every attempt.
    public var durationSeconds: Double

    public init(finalIteration: Int, finalLoss: Double?, durationSeconds: Double) {
        self.finalIteration = finalIteration
        self.finalLoss = finalLoss
        self.durationSeconds = durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case finalIteration = "final_iteration"
        case finalLoss = "final_loss"
        case durationSeconds = "duration_seconds"
    }
}
