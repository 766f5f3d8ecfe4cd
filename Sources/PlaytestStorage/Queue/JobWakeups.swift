import NIOConcurrencyHelpers

/// Wakes idle workers when a job may be ready, so that they do not wait a whole poll interval.
///
/// In-process signals come from `JobQueue.enqueue`; on PostgreSQL a `JobListener` also turns
/// `NOTIFY playtest_jobs` from other processes into signals.
public final class JobWakeups: Sendable {
    private struct State {
        var generation = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public func signal() {
        let waiters = state.withLockedValue { state in
            state.generation += 1
            let waiters = state.waiters.values
            state.waiters.removeAll()
            return Array(waiters)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Counts signals. Read it before checking for work, then `wait(timeout:after:)`, so that a
    /// signal arriving between the check and the wait is not lost.
    public var generation: Int { state.withLockedValue { $0.generation } }

    /// Returns after a signal later than `generation` (default: any from now on) or after
    /// `timeout`, whichever comes first (or when cancelled).
    public func wait(timeout: Duration, after generation: Int? = nil) async {
        let generation = generation ?? self.generation
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForSignal(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal(after generation: Int) async {
        let id = state.withLockedValue { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
