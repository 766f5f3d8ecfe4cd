import Logging
import NIOConcurrencyHelpers

/// Holds an attempt's agent to its ``RunTimeLimits/Limit``: SIGTERM at the soft limit, SIGKILL at the hard one, and
/// remembers which was reached for the attempt to end the run accordingly.
struct TimeLimitWatch: Sendable {
    enum Reached: Sendable, Equatable {
        case soft(Duration)
        case hard(Duration)
    }

    private let state: NIOLockedValueBox<Reached?>
    private let task: Task<Void, Never>?

    /// Starts watching `agent`; with no limit, watches nothing.
    static func start(_ limit: RunTimeLimits.Limit?, since start: ContinuousClock.Instant, agent: AgentProcess, logger: Logger) -> TimeLimitWatch {
        let state = NIOLockedValueBox<Reached?>(nil)
        guard let limit else { return TimeLimitWatch(state: state, task: nil) }
        let task = Task {
            do { try await Task.sleep(until: start + limit.soft, clock: .continuous) } catch { return }
            state.withLockedValue { $0 = .soft(limit.soft) }
            logger.warning("soft time limit reached; asking the agent to stop", metadata: ["limit": "\(RunTimeLimits.describe(limit.soft))"])
            agent.requestStop()
            do { try await Task.sleep(until: start + limit.hard, clock: .continuous) } catch { return }
            state.withLockedValue { $0 = .hard(limit.hard) }
            logger.error("hard time limit reached; killing the agent", metadata: ["limit": "\(RunTimeLimits.describe(limit.hard))"])
            agent.kill()
        }
        return TimeLimitWatch(state: state, task: task)
    }

    /// The limit the agent ran into, if any.
    var reached: Reached? { state.withLockedValue { $0 } }

    /// Stops watching (the agent has exited).
    func end() { task?.cancel() }
}
