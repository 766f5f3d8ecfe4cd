import Crypto
import Foundation
import MultipartKit
import Vapor

/// Streams a multipart upload to a temporary file, hashing as it goes, so a large WAD never sits
/// whole in memory. Takes the `file` part (and the optional `name` text part); refuses bodies over
/// the size limit as soon as they pass it.
struct WADUploadReceiver {
    struct Received {
        var path: String
        var filename: String
        var name: String?
        var sizeBytes: Int64
        var sha256: String
    }

    let maxBytes: Int
    let temporaryDirectory: String

    func receive(_ request: Request) async throws -> Received {
        guard let contentType = request.headers.contentType, contentType.type == "multipart", contentType.subType == "form-data",
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty
        else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "upload the WAD as multipart/form-data with a 'file' field")
        }
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > maxBytes + 64 * 1024 {
            throw tooLarge()
        }
        try FileManager.default.createDirectory(atPath: temporaryDirectory, withIntermediateDirectories: true)
        let path = temporaryDirectory + "/upload-\(UUID().uuidString).wad"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw APIError(.internalServerError, code: "storage_error", "cannot create a temporary file for the upload")
        }
        let state = PartState(handle: handle)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        do {
            var total = 0
            for try await chunk in request.body {
                total += chunk.readableBytes
                if total > maxBytes + 64 * 1024 || state.fileBytes > maxBytes { throw tooLarge() }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw APIError.badRequest("malformed multipart body: \(error)")
                }
                if let error = state.error { throw error }
                // A body already buffered is handed over without suspending: without a yield, a few large uploads
                // held every thread of the cooperative pool until they ended, and nothing else on this server ran
                // (WebSocket handshakes timed out after 10 s while four 27 MB uploads were parsed).
                await Task.yield()
            }
            try handle.close()
            guard state.sawFile else {
                throw APIError.badRequest("the upload has no 'file' part; send the WAD as multipart field 'file'")
            }
            guard state.fileBytes > 0 else { throw APIError.unprocessable("invalid_wad", "the uploaded file is empty") }
            guard state.fileBytes <= maxBytes else { throw tooLarge() }
            return Received(
                path: path, filename: state.filename ?? "upload.wad", name: state.name, sizeBytes: Int64(state.fileBytes),
                sha256: state.hasher.finalize().map { String(format: "%02x", $0) }.joined())
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    private func tooLarge() -> APIError {
        APIError(.payloadTooLarge, code: "payload_too_large", "the upload is larger than the \(maxBytes / (1024 * 1024)) MB limit (PLAYTEST_MAX_UPLOAD_MB)")
    }

    /// Mutable parse state shared by the parser's callbacks within one request.
    private final class PartState {
        let handle: FileHandle
        var hasher = SHA256()
        var currentField: String?
        var currentFilename: String?
        var filename: String?
        var name: String?
        var nameBytes: [UInt8] = []
        var fileBytes = 0
        var sawFile = false
        var error: APIError?

        init(handle: FileHandle) { self.handle = handle }

        func header(_ field: String, _ value: String) {
            guard field.lowercased() == "content-disposition" else { return }
            currentField = Self.parameter("name", in: value)
            currentFilename = Self.parameter("filename", in: value)
            if currentField == "file" {
                if sawFile { error = APIError.badRequest("send exactly one 'file' part") }
                sawFile = true
                filename = currentFilename.map { ($0 as NSString).lastPathComponent }
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            switch currentField {
            case "file":
                let chunk = Data(buffer.readableBytesView)
                hasher.update(data: chunk)
                fileBytes += chunk.count
                handle.write(chunk)
            case "name":
                if nameBytes.count < 1024 { nameBytes += buffer.readableBytesView }
            default:
                break
            }
        }

        func partComplete() {
            if currentField == "name" { name = String(decoding: nameBytes, as: UTF8.self) }
            currentField = nil
        }

        static func parameter(_ key: String, in header: String) -> String? {
            for piece in header.split(separator: ";") {
                let parts = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0].lowercased() == key else { continue }
                return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            return nil
        }
    }
}
