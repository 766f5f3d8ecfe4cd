/// Why a findings request was refused, worded for the client.
public enum FindingError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        case .notFound(let what): what
        }
    }
}
