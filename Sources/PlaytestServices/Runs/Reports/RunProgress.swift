import Foundation
import PlaytestCore

/// What a run's status report is built from: read from the live hash while a worker plays it, else from SQL. Both
/// status reports (``TestStatus``, ``TrainingStatus``) are built from it the same way.
struct RunStatusFacts: Sendable {
    var id: String
    var status: RunStatus
    var mapID: String
    /// The library entry's name (seed 001's `map_name`).
    var mapName: String
    /// The map inside the WAD (`MAP01`).
    var map: String
    var checkpoint: String?
    var startedAt: Date?
    var completedAt: Date?
    var error: String?
    /// Episodes finished (testing) or the newest iteration (training).
    var done: Int
    /// Episodes to play or the iteration to stop at.
    var total: Int
    /// The episode being played (from 1; the finished count between episodes) or the newest iteration.
    var current: Int
    /// Testing: agent steps so far.
    var steps: Int = 0
    var latestEpisode: TestStatus.LatestEpisode?
    var latestMetrics: TrainingLogPoint?

    /// Progress figures at `now`: elapsed time since the start (to the end once over) and a linear estimate of the
    /// time left while the run goes.
    func progress(now: Date) -> (percent: Double, elapsed: Double, remaining: Double?) {
        let elapsed = startedAt.map { max(0, (completedAt ?? now).timeIntervalSince($0)) } ?? 0
        let percent = total > 0 ? min(100, max(0, Double(done) / Double(total) * 100)) : 0
        let remaining = status.isFinal || done <= 0 || total < done ? nil : elapsed / Double(done) * Double(total - done)
        return (percent, elapsed, remaining)
    }
}
