extension ProgressionPlanner {
    /// Names the planner's rules: stored verdicts (`map_progressions`) of another revision are computed again.
    /// Change it with every change to the planner that can change a verdict or a route.
    public static let revision = "2026-12-05.8"
}
