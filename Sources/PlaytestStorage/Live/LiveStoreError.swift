/// Why a `LiveStore` operation failed, worded for the person who has to fix it.
public enum LiveStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key holds another kind of value (e.g. a hash used as a list).
    case wrongType(key: String)
    /// `increment` on a value that is not an integer, or an increment that would overflow.
    case notAnInteger(key: String)
    /// A caller passed an argument the operation cannot accept.
    case invalidArgument(String)
    /// The engine cannot be reached or failed; the message says which and why.
    case unavailable(engine: String, reason: String)

    public var description: String {
        switch self {
        case .wrongType(let key):
            return "Live store key '\(key)' holds a different kind of value"
        case .notAnInteger(let key):
            return "Live store key '\(key)' does not hold an integer (or the increment overflows)"
        case .invalidArgument(let reason):
            return "Invalid live store argument: \(reason)"
        case .unavailable(let engine, let reason):
            return "Live store (\(engine)) unavailable: \(reason)"
        }
    }
}

/// Redis `LRANGE`/`ZRANGE` index semantics: inclusive, negative counts from the end, clamped.
func liveIndexRange(count: Int, start: Int, stop: Int) -> Range<Int>? {
    let from = max(start < 0 ? count + start : start, 0)
    let to = min(stop < 0 ? count + stop : stop, count - 1)
    guard from <= to, from < count else { return nil }
    return from..<(to + 1)
}
