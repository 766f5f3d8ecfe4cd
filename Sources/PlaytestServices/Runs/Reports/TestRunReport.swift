import PlaytestCore

/// What a test run's page shows: its results, its screenshots and demos, and the planner's route it was played on.
public struct TestRunReport: Sendable {
    public var results: TestResults
    public var artifacts: [ArtifactView]
    /// The stored plan the completion verdict names (nil for a scenario, or when the worker stored none).
    public var route: ProgressionPlan?
    /// The run's own plan (skill, god mode, evidence); nil when unreadable.
    var plan: RunPlan?
}
