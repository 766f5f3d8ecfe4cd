import PlaytestCore
import PlaytestServices
import Vapor

/// An error a client can act on. Rendered as `{"error":{"code","message"}}` by `JSONErrorMiddleware`.
public struct APIError: AbortError, Sendable {
    public var status: HTTPResponseStatus
    /// A stable, machine-readable code such as `not_found` or `invalid_wad`.
    public var code: String
    public var message: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPHeaders

    public init(_ status: HTTPResponseStatus, code: String, _ message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var reason: String { message }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, code: "conflict", message) }
    public static func unauthenticated(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message, headers: ["WWW-Authenticate": #"Bearer realm="playtest""#])
    }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message) }
    public static func unprocessable(_ code: String, _ message: String) -> APIError { APIError(.unprocessableEntity, code: code, message) }

    /// The HTTP answer to an error the services raised on purpose; nil for anything unexpected.
    init?(service error: any Error) {
        switch error {
        case let error as RunRequestError:
            self.init(error.kind == .notFound ? .notFound : .unprocessableEntity, code: error.code, error.message)
        case let error as MapLibraryError:
            switch error {
            case .invalidWAD: self = .unprocessable("invalid_wad", error.description)
            case .notFound, .mapNotFound: self = .notFound(error.description)
            case .activeRuns: self = .conflict(error.description)
            }
        case let error as RunReportError: self = .notFound(error.description)
        case let error as FileError: self = .notFound(error.description)
        case let error as QueueError:
            switch error {
            case .notFound: self = .notFound(error.description)
            case .conflict: self = .conflict(error.description)
            case .invalid: self = .badRequest(error.description)
            }
        case let error as RunTransitionError: self = .conflict(error.description)
        case let error as ValidationsError: self = .unprocessable("invalid_request", error.description)
        case let error as AnalysisError:
            switch error {
            case .invalid: self = .badRequest(error.description)
            case .notFound: self = .notFound(error.description)
            }
        case let error as PlayerProgressError:
            switch error {
            case .invalid: self = .unprocessable("invalid_progress", error.description)
            case .notFound: self = .notFound(error.description)
            case .versionMismatch(let current):
                self.init(.preconditionFailed, code: "version_mismatch", error.description, headers: ["ETag": "\"\(current)\""])
            case .versionRequired(let current):
                self.init(.preconditionRequired, code: "if_match_required", error.description, headers: ["ETag": "\"\(current)\""])
            case .tooLarge: self.init(.payloadTooLarge, code: "state_too_large", error.description)
            }
        case let error as FindingError:
            switch error {
            case .invalid: self = .unprocessable("invalid_request", error.description)
            case .notFound: self = .notFound(error.description)
            }
        case let error as LeaderboardError:
            switch error {
            case .notFound, .noRecord: self = .notFound(error.description)
            case .invalid: self = .badRequest(error.description)
            }
        case let error as AccountError:
            switch error {
            case .invalidCredentials, .unauthenticated: self = .unauthenticated(error.description)
            case .forbidden: self = .forbidden(error.description)
            case .invalid: self = .unprocessable("invalid_request", error.description)
            case .notFound: self = .notFound(error.description)
            case .conflict: self = .conflict(error.description)
            case .throttled(let seconds):
                self.init(.tooManyRequests, code: "rate_limited", error.description, headers: ["Retry-After": String(max(1, seconds))])
            }
        default: return nil
        }
    }
}

/// The JSON body of every error response.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }
    var error: Detail
}
