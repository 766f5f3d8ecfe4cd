import Foundation

/// Waiting for something that happens in the background (a worker's progress, a key expiring, a process starting):
/// polls until it holds or a generous deadline passes, suspending between polls (never blocking a thread of the
/// cooperative pool, which every other test in the process shares). The deadline guards against hangs; it is never the thing a
/// test asserts (speed is measured in `bench/`).
public enum Deadline {
    public static let standard: Duration = .seconds(30)

    /// Polls `condition` every `interval` until it returns a value; throws ``DeadlineExceeded`` naming `what` when
    /// `limit` passes first.
    public static func value<T>(
        _ what: String, within limit: Duration = standard, every interval: Duration = .milliseconds(20),
        _ condition: () async throws -> T?
    ) async throws -> T {
        let end = ContinuousClock.now + limit
        while true {
            if let value = try await condition() { return value }
            guard ContinuousClock.now < end else { throw DeadlineExceeded(what: what, limit: limit) }
            try await Task.sleep(for: interval)
        }
    }

    /// Polls `condition` until it holds; throws ``DeadlineExceeded`` when `limit` passes first.
    public static func wait(
        _ what: String, within limit: Duration = standard, every interval: Duration = .milliseconds(20),
        _ condition: () async throws -> Bool
    ) async throws {
        _ = try await value(what, within: limit, every: interval) { try await condition() ? true : nil }
    }
}

/// Something a test waited for did not happen in time.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public var what: String
    public var limit: Duration
    public var description: String { "gave up waiting for \(what) after \(limit)" }
}
