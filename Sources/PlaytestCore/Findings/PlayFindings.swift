import Foundation

/// The play findings of a test run, from its episodes' events and the planner's verdict on its map.
public enum PlayFindings {
    /// One observation per stuck spot, death and out-of-bounds event, in episode then event order.
    public static func observations(events: [Int: [TelemetryEvent]]) -> [FindingObservation] {
        var out: [FindingObservation] = []
        for episode in events.keys.sorted() {
            for event in events[episode] ?? [] {
                let kind: PlayFindingKind, message: String
                switch event.detail {
                case .stuck(let tics, let radius):
                    kind = .stuck
                    message = String(format: "The player stayed within %.0f units of this spot for %.1f s.", radius,
                                     Double(tics) / AgentProtocol.ticsPerSecond)
                case .outOfBounds:
                    kind = .outOfBounds
                    message = "The player was outside every sector of the map here: a hole in the map or a missing sector."
                case .death:
                    kind = .deathHotspot
                    message = "A player died here."
                default:
                    continue
                }
                out.append(FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                              x: event.x, y: event.y, episode: episode, tic: event.frame))
            }
        }
        return out
    }

    /// Where the planner proves progression breaks, when its verdict is `blocked` and it names a place.
    public static func observation(plan: ProgressionPlan) -> FindingObservation? {
        guard plan.verdict == .blocked, let blocker = plan.blocker, let x = blocker.x, let y = blocker.y else { return nil }
        let kind = PlayFindingKind.progressionBlocked
        return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play,
                                  message: plan.reason,
                                  x: x, y: y, sector: blocker.sector, line: blocker.line)
    }
}
