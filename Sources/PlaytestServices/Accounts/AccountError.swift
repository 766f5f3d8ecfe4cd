/// An error of the accounts domain, worded for the person who caused it.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    /// Wrong e-mail or password, or a disabled account: one message for all, so it reveals nothing.
    case invalidCredentials
    /// No credentials, or credentials that are invalid, expired or revoked.
    case unauthenticated(String)
    case forbidden(String)
    case invalid(String)
    case notFound(String)
    case conflict(String)
    /// Too many attempts; try again after this many seconds.
    case throttled(retryAfter: Int)

    public var description: String {
        switch self {
        case .invalidCredentials: "the e-mail address or password is wrong"
        case .unauthenticated(let message), .forbidden(let message), .invalid(let message), .notFound(let message), .conflict(let message): message
        case .throttled(let seconds): "too many attempts; try again in \(seconds) s"
        }
    }
}
