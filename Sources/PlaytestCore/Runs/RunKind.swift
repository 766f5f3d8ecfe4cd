/// A run is a test (`test_…`: an agent plays episodes) or a training (`train_…`: a DQN learns the map).
public enum RunKind: String, Sendable, Hashable, Codable, CaseIterable {
    case testing, training

    /// The prefix of its ids: `test` or `train`.
    public var idPrefix: String {
        switch self {
        case .testing: "test"
        case .training: "train"
        }
    }

    /// The key its id goes by in the seed's JSON: `test_id` or `training_id`.
    public var idKey: String { self == .testing ? "test_id" : "training_id" }

    /// "test run" or "training run", for messages.
    public var noun: String {
        switch self {
        case .testing: "test run"
        case .training: "training run"
        }
    }

    /// The kind an id names by its prefix; nil for anything else.
    public init?(runID: String) {
        guard let kind = Self.allCases.first(where: { runID.hasPrefix($0.idPrefix + "_") }) else { return nil }
        self = kind
    }
}
