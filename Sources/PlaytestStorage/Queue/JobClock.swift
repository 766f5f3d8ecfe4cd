import Foundation

/// Wall-clock time in epoch milliseconds. Injected so tests can move time instead of sleeping.
public protocol JobClock: Sendable {
    func nowMilliseconds() -> Int64
}

public struct SystemJobClock: JobClock {
    public init() {}
    public func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
