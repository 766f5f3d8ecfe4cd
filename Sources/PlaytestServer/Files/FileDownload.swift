import Foundation
import PlaytestServices
import Vapor

/// Serves a stored file: a redirect to its short-lived link when the store gives one (S3, which answers Range requests
/// itself), else streamed through, whole or as the one byte range a `Range` header asks for (206), so a browser can
/// seek in a video.
enum FileDownload {
    static func response(
        _ request: Request, _ file: StoredFile, filename: String, contentType: HTTPMediaType, inline: Bool = false
    ) async throws -> Response {
        switch file {
        case .redirect(let url):
            return request.redirect(to: url.absoluteString)
        case .stream(let size, let chunks, let from):
            let range = ByteRange(header: request.headers.first(name: .range), size: size)
            let response: Response
            switch range {
            case .whole:
                response = Response(status: .ok, body: body(chunks, count: size))
            case .part(let first, let last):
                response = Response(status: .partialContent, body: body(try await from(first), count: last - first + 1))
                response.headers.replaceOrAdd(name: .contentRange, value: "bytes \(first)-\(last)/\(size)")
            case .unsatisfiable:
                response = Response(status: .rangeNotSatisfiable)
                response.headers.replaceOrAdd(name: .contentRange, value: "bytes */\(size)")
            }
            response.headers.replaceOrAdd(name: .acceptRanges, value: "bytes")
            response.headers.contentType = contentType
            let disposition = inline ? "inline" : "attachment"
            response.headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(safeFilename(filename))\"")
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
            return response
        }
    }

    /// `count` bytes of `chunks` (the rest of a stream opened at a range's start is not sent).
    private static func body(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>, count: Int64) -> Response.Body {
        .init(asyncStream: { writer in
            do {
                var left = count
                for try await var chunk in chunks {
                    if Int64(chunk.readableBytes) > left { chunk = chunk.getSlice(at: chunk.readerIndex, length: Int(left)) ?? chunk }
                    left -= Int64(chunk.readableBytes)
                    try await writer.writeBuffer(chunk)
                    if left <= 0 { break }  // the rest of the file is not read
                }
                try await writer.write(.end)
            } catch {
                try await writer.write(.error(error))
            }
        }, count: Int(count))
    }

    static let binary = HTTPMediaType(type: "application", subType: "octet-stream")

    /// A filename that cannot break out of the Content-Disposition header.
    static func safeFilename(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
    }
}

/// The byte range of a `Range` header (RFC 9110 §14.1.2) over a file of `size` bytes. One range is served; a header
/// that is not a byte range, or names several, gets the whole file (the RFC lets a server ignore Range).
enum ByteRange: Equatable {
    case whole
    /// First and last byte, inclusive.
    case part(Int64, Int64)
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { self = .whole; return }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let sides = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2 else { self = .whole; return }
        let first = Int64(sides[0]), last = Int64(sides[1])
        switch (sides[0].isEmpty, sides[1].isEmpty) {
        case (true, false):  // the last N bytes
            guard let count = last else { self = .whole; return }
            self = count > 0 && size > 0 ? .part(max(0, size - count), size - 1) : .unsatisfiable
        case (false, _):
            guard let first, sides[1].isEmpty || last != nil else { self = .whole; return }
            if let last, last < first { self = .whole; return }
            guard first < size else { self = .unsatisfiable; return }
            self = .part(first, min(last ?? size - 1, size - 1))
        default:
            self = .whole
        }
    }
}
