import NIOConcurrencyHelpers

/// Set once when a run's job is cancelled (a stop request, a lost lease, or shutdown). The attempt
/// checks it between steps, and an agent attached to it is stopped (SIGTERM, grace, SIGKILL) at once.
final class StopLatch: Sendable {
    private struct State {
        var fired = false
        var agent: AgentProcess?
    }

    private let state = NIOLockedValueBox(State())
    let grace: Duration

    init(grace: Duration) {
        self.grace = grace
    }

    var isFired: Bool { state.withLockedValue { $0.fired } }

    func fire() {
        let agent = state.withLockedValue { state -> AgentProcess? in
            guard !state.fired else { return nil }
            state.fired = true
            return state.agent
        }
        if let agent {
            let grace = self.grace
            Task { await agent.stop(grace: grace) }
        }
    }

    /// Attaches the running agent; stops it at once when the latch already fired.
    func attach(_ agent: AgentProcess) {
        let fired = state.withLockedValue { state -> Bool in
            state.agent = agent
            return state.fired
        }
        if fired {
            let grace = self.grace
            Task { await agent.stop(grace: grace) }
        }
    }
}
