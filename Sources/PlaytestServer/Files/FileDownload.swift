import Foundation
import PlaytestServices
import Vapor

/// Serves a stored file: a redirect to its short-lived link when the store gives one (S3), else streamed through.
enum FileDownload {
    static func response(
        _ request: Request, _ file: StoredFile, filename: String, contentType: HTTPMediaType, inline: Bool = false
    ) -> Response {
        switch file {
        case .redirect(let url):
            return request.redirect(to: url.absoluteString)
        case .stream(let size, let chunks):
            let response = Response(status: .ok, body: .init(asyncStream: { writer in
                do {
                    for try await chunk in chunks { try await writer.writeBuffer(chunk) }
                    try await writer.write(.end)
                } catch {
                    try await writer.write(.error(error))
                }
            }, count: Int(size)))
            response.headers.contentType = contentType
            let disposition = inline ? "inline" : "attachment"
            response.headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(safeFilename(filename))\"")
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
            return response
        }
    }

    static let binary = HTTPMediaType(type: "application", subType: "octet-stream")

    /// A filename that cannot break out of the Content-Disposition header.
    static func safeFilename(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
    }
}
