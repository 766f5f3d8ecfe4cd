import PlaytestCore

/// The queue jobs that play runs: kind `run.test` or `run.train`, payload `{"run_id": …}`. Everything else is in the
/// run's row and its plan.
public enum RunJob {
    public static let testKind = "run.test"
    public static let trainKind = "run.train"
    /// A run whose worker dies is claimed again; after this many attempts it fails.
    public static let maxAttempts = 3

    public struct Payload: Codable, Sendable, Hashable {
        public var runID: String
        public init(runID: String) { self.runID = runID }
        enum CodingKeys: String, CodingKey { case runID = "run_id" }
    }

    public static func kind(for run: RunKind) -> String {
        run == .testing ? testKind : trainKind
    }
}
