import Foundation
import PlaytestStorage
import Vapor

/// Serves a stored file: a redirect to a presigned URL when the store has them (S3), else streamed through.
enum BlobDownload {
    static func response(
        _ request: Request, blobs: any BlobStore, key: String, filename: String, contentType: HTTPMediaType, inline: Bool = false
    ) async throws -> Response {
        if let url = try await blobs.presignedURL(key, expiresIn: .seconds(900)) {
            return request.redirect(to: url.absoluteString)
        }
        let stream: BlobStream
        do {
            stream = try await blobs.stream(key)
        } catch BlobError.notFound {
            throw APIError.notFound("the file \(filename) is missing from the blob store")
        }
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                for try await chunk in stream.chunks { try await writer.writeBuffer(chunk) }
                try await writer.write(.end)
            } catch {
                try await writer.write(.error(error))
            }
        }, count: Int(stream.info.size)))
        response.headers.contentType = contentType
        let disposition = inline ? "inline" : "attachment"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(safeFilename(filename))\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }

    /// A filename that cannot break out of the Content-Disposition header.
    static func safeFilename(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
    }
}
