/// Where a run is in its life, and the moves it may make (docs/runs.md, "Status"):
///
/// ```
/// pending ──▶ running ──▶ completed
///    │           │  ╲
///    │           │   ╲──▶ failed ──╮
///    │           ▼                 │ retry
///    ├──────▶ stopping ──▶ stopped ┤
///    ╰──────────────────▶ stopped  │
/// pending ◀────────────────────────╯
/// ```
///
/// `RunLifecycle` (PlaytestServices) is the one place that moves a run; it refuses every move this table does not
/// list, so a finished run never plays again and a completed run is never re-opened.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, running, stopping, stopped, completed, failed

    /// Runs in these states hold on to their map.
    public static let active: [RunStatus] = [.pending, .running, .stopping]
    /// States a run leaves only when its job is retried.
    public static let final: [RunStatus] = [.completed, .failed, .stopped]

    public var isFinal: Bool { Self.final.contains(self) }
    public var isActive: Bool { Self.active.contains(self) }

    /// The statuses a run in this one may move to.
    public var successors: Set<RunStatus> {
        switch self {
        // A queued run starts, is stopped (at once while queued, or asked to), or fails before its agent starts.
        case .pending: [.running, .stopping, .stopped, .failed]
        // `running` again: a rescued attempt picks the run up where the dead worker left it.
        case .running: [.running, .stopping, .stopped, .completed, .failed]
        // The agent winds down; it may have finished its last episode meanwhile, or failed doing so.
        case .stopping: [.stopped, .completed, .failed]
        // A failed or stopped run goes back to the queue when its job is retried.
        case .failed, .stopped: [.pending]
        case .completed: []
        }
    }

    public func canMove(to next: RunStatus) -> Bool { successors.contains(next) }

    /// The statuses from which a run may move to `target`.
    public static func sources(of target: RunStatus) -> [RunStatus] {
        allCases.filter { $0.canMove(to: target) }
    }
}

/// A status change the lifecycle refuses.
public struct RunTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var runID: String
    public var from: RunStatus
    public var to: RunStatus

    public init(runID: String, from: RunStatus, to: RunStatus) {
        self.runID = runID
        self.from = from
        self.to = to
    }

    public var description: String {
        let allowed = from.successors.map(\.rawValue).sorted()
        return "run \(runID) is \(from.rawValue) and cannot become \(to.rawValue)"
            + (allowed.isEmpty ? " (a \(from.rawValue) run never changes again)" : " (from \(from.rawValue) it may become \(allowed.joined(separator: ", ")))")
    }
}
