import Foundation
import PlaytestStorage

/// A clock the test moves by hand, so backoff and leases are checked without sleeping.
final class ManualClock: JobClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    init(_ start: Int64 = 1_700_000_000_000) { now = start }

    func nowMilliseconds() -> Int64 {
        lock.lock(); defer { lock.unlock() }
        return now
    }

    func advance(milliseconds: Int64) {
        lock.lock(); defer { lock.unlock() }
        now += milliseconds
    }
}
