import PlaytestServices
import Vapor

/// Turns every thrown error into `{"error":{"code","message"}}` with the right status. Unexpected
/// errors become a 500 whose message does not leak internals; the details go to the log.
struct JSONErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let status: HTTPResponseStatus
        let code: String
        let message: String
        var headers: HTTPHeaders = [:]
        switch error {
        case let api as APIError:
            (status, code, message, headers) = (api.status, api.code, api.message, api.headers)
        case let known where APIError(service: known) != nil:
            let api = APIError(service: known) ?? .badRequest("\(known)")
            (status, code, message, headers) = (api.status, api.code, api.message, api.headers)
        case let decoding as DecodingError:
            (status, code, message) = (.badRequest, "invalid_body", Self.describe(decoding))
        case let abort as any AbortError:
            status = abort.status
            code = Self.code(for: abort.status)
            message = abort.reason
            headers = abort.headers
        case let outage where Services.isOutage(outage):
            request.logger.warning("an engine is unavailable: \(Services.describe(outage))")
            (status, code) = (.serviceUnavailable, "service_unavailable")
            message = "The database or the file store is unavailable right now. Try again shortly (request \(request.id))."
            headers = ["Retry-After": "10"]
        default:
            request.logger.error("unhandled error: \(Services.describe(error))")
            (status, code, message) = (.internalServerError, "internal_error", "The server hit an unexpected error; see the server log for request \(request.id).")
        }
        if status.code >= 500, error is any AbortError {
            request.logger.error("\(status.code) \(code): \(message)")
        }
        let response: Response
        do {
            response = try JSONBody.response(ErrorBody(error: .init(code: code, message: message)), status: status)
        } catch {
            response = Response(status: status, body: .init(string: #"{"error":{"code":"internal_error","message":"error encoding failed"}}"#))
            response.headers.contentType = .json
        }
        for (name, value) in headers where name.lowercased() != "content-type" { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status {
        case .notFound: "not_found"
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .payloadTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .unprocessableEntity: "unprocessable"
        case .tooManyRequests: "rate_limited"
        case .serviceUnavailable: "unavailable"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }

    /// A decoding failure in words a client can fix: which field, and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "the body" : "'\(joined)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(let type, let context): return "\(path(context)) must be \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) must be a \(type), not null"
        case .dataCorrupted(let context): return "\(path(context)) is invalid: \(context.debugDescription)"
        @unknown default: return "the body is not valid JSON for this endpoint"
        }
    }
}
