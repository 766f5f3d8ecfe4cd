/// Why a player-progress request was refused, worded for the client developer.
public enum PlayerProgressError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)
    /// `If-Match` names another version than the stored one (412).
    case versionMismatch(current: Int)
    /// A write to existing progress without `If-Match` (428).
    case versionRequired(current: Int)
    /// A state larger than the limit (413).
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        case .notFound(let what): what
        case .versionMismatch(let current): "the progress changed since you read it: it is at version \(current); read it again and retry"
        case .versionRequired(let current):
            "this progress exists (version \(current)): send If-Match with the version you read, so a concurrent write is not lost"
        case .tooLarge(let bytes, let limit): "the state is \(bytes) bytes; the limit is \(limit)"
        }
    }
}
