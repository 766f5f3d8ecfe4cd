/// What one WebSocket client still has to receive, with per-run throttling of progress messages.
///
/// Progress messages of a run are coalesced: only the newest waits, and one goes out at most every `interval`
/// (the first at once). A progress message marked urgent (an episode just finished) goes out at once. Every other
/// message (completed, failed, stopped, status) keeps its order and first flushes the run's waiting progress, so
/// a client never sees a run's progress after its end. A slow client only grows its own queue, which is bounded.
struct LiveOutbox {
    let interval: Duration
    let capacity: Int

    private struct Entry {
        var runID: String?
        var text: String
        var isProgress: Bool
    }

    /// Messages to send in order.
    private var ordered: [Entry] = []
    /// The newest unsent progress message per run.
    private var pending: [String: String] = [:]
    private var lastProgressSent: [String: ContinuousClock.Instant] = [:]

    init(interval: Duration = .milliseconds(250), capacity: Int = 512) {
        self.interval = interval
        self.capacity = capacity
    }

    enum Next: Equatable {
        case send(String)
        /// Nothing is due before this instant.
        case wait(until: ContinuousClock.Instant)
        case idle
    }

    /// More ordered messages wait than a healthy client would ever leave unread.
    var isOverflowing: Bool { ordered.count > capacity }

    mutating func offerProgress(runID: String, _ text: String, urgent: Bool) {
        if urgent {
            pending[runID] = nil
            ordered.append(Entry(runID: runID, text: text, isProgress: true))
        } else {
            pending[runID] = text
        }
    }

    mutating func offer(runID: String?, _ text: String) {
        if let runID, let waiting = pending.removeValue(forKey: runID) {
            ordered.append(Entry(runID: runID, text: waiting, isProgress: true))
        }
        ordered.append(Entry(runID: runID, text: text, isProgress: false))
    }

    mutating func next(now: ContinuousClock.Instant) -> Next {
        if !ordered.isEmpty {
            let entry = ordered.removeFirst()
            if entry.isProgress, let runID = entry.runID { lastProgressSent[runID] = now }
            return .send(entry.text)
        }
        var earliest: ContinuousClock.Instant?
        for runID in pending.keys.sorted() {
            let due = lastProgressSent[runID].map { $0 + interval } ?? now
            if due <= now, let text = pending.removeValue(forKey: runID) {
                lastProgressSent[runID] = now
                return .send(text)
            }
            earliest = min(earliest ?? due, due)
        }
        return earliest.map { .wait(until: $0) } ?? .idle
    }

    /// Forgets a run the client left.
    mutating func drop(runID: String) {
        pending[runID] = nil
        lastProgressSent[runID] = nil
    }
}
