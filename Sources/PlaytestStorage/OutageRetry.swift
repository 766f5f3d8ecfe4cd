import Logging

/// Retries an operation while its engine is out (``EngineOutage``), backing off up to a few seconds between tries, for
/// at most `window`. For writes that must not be dropped during a short outage — a run's files, a job's outcome — but
/// must not hang forever either: past the window, or on any other error, the error is the caller's.
public struct OutageRetry: Sendable {
    public var window: Duration
    public var firstDelay: Duration = .milliseconds(250)
    public var maxDelay: Duration = .seconds(5)

    public init(window: Duration) {
        self.window = window
    }

    public func run<T: Sendable>(_ what: String, logger: Logger, _ operation: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + window
        var delay = firstDelay
        var tries = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard EngineOutage.matches(error), ContinuousClock.now + delay < deadline, !Task.isCancelled else { throw error }
                if tries == 1 {
                    logger.warning("\(what) failed while an engine is out; retrying", metadata: ["error": "\(error)", "for": "\(window)"])
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, maxDelay)
                tries += 1
            }
        }
    }
}
