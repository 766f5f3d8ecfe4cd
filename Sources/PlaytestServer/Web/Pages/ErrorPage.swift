import PlaytestServices
import Vapor

/// What a page shows when it cannot be built: the status, the reason in words, and a way back.
/// Unexpected errors are logged with the request id, which the page shows.
struct ErrorPage {
    var error: any Error
    var request: Request

    func page() -> WebPage {
        let status: HTTPResponseStatus
        let message: String
        switch error {
        case let api as APIError:
            (status, message) = (api.status, api.message)
        case let known where APIError(service: known) != nil:
            let api = APIError(service: known) ?? .notFound("\(known)")
            (status, message) = (api.status, api.message)
        case let decoding as DecodingError:
            (status, message) = (.badRequest, JSONErrorMiddleware.describe(decoding))
        case let abort as any AbortError:
            (status, message) = (abort.status, abort.reason)
        default:
            request.logger.error("page \(request.url.path) failed: \(Services.describe(error))")
            status = .internalServerError
            message = "The page could not be built because the server could not read its data (\(Services.describe(error))). See the server log for request \(request.id)."
        }
        let title = status == .notFound ? "Not found" : "Something went wrong"
        return WebPage(title: title, section: nil, kind: "error", status: status, content: group {
            WebParts.pageHeader(title)
            WebParts.failurePanel(title: "\(status.code) \(status.reasonPhrase)", message: message)
            el("p") { el("a", .href("/")) { "Back to the maps" } }
        })
    }
}
