import Vapor

/// An error a client can act on. Rendered as `{"error":{"code","message"}}` by `JSONErrorMiddleware`.
public struct APIError: AbortError, Sendable {
    public var status: HTTPResponseStatus
    /// A stable, machine-readable code such as `not_found` or `invalid_map`.
    public var code: String
    public var message: String

    public init(_ status: HTTPResponseStatus, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var reason: String { message }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, code: "conflict", message) }
    public static func unprocessable(_ code: String, _ message: String) -> APIError { APIError(.unprocessableEntity, code: code, message) }
}

/// The JSON body of every error response.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
    }
    var error: Detail
}
