import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A client of OpenAI's chat completions protocol (`POST <base>/chat/completions`), enough to ask one question with
/// text and pictures and read the first answer. Any compatible server works (a hosted API, a local model server).
public struct ChatCompletions: Sendable {
    public let settings: LLMSettings
    let client: HTTPClient

    public init(settings: LLMSettings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    /// One part of a user message: text, or a PNG given inline as a data URL.
    public enum Part: Sendable, Hashable {
        case text(String)
        case png(Data)
    }

    /// The request's JSON body for a system prompt and a user message; it is what gets stored as the prompt.
    public func body(system: String, user: [Part]) throws -> Data {
        let content: [[String: Any]] = user.map { part in
            switch part {
            case .text(let text): ["type": "text", "text": text]
            case .png(let data): ["type": "image_url", "image_url": ["url": "data:image/png;base64," + data.base64EncodedString()]]
            }
        }
        let body: [String: Any] = [
            "model": settings.model,
            "messages": [["role": "system", "content": system], ["role": "user", "content": content]],
            "temperature": 0.2,
        ]
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// Sends `body` and returns the first choice's text; throws ``ChatCompletionsError`` for anything else.
    public func complete(body: Data) async throws -> String {
        var request = HTTPClientRequest(url: settings.baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if let key = settings.apiKey { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(data: body))
        let seconds = settings.timeout.components.seconds
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(seconds))
        } catch {
            throw ChatCompletionsError.unreachable("\(settings.baseURL): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
        guard response.status == .ok else {
            throw ChatCompletionsError.refused(status: Int(response.status.code), body: String(buffer: bytes).prefix(300).description)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any],
              let text = message["content"] as? String, !text.isEmpty else {
            throw ChatCompletionsError.unreadable(String(buffer: bytes).prefix(300).description)
        }
        return text
    }
}

public enum ChatCompletionsError: Error, Sendable, CustomStringConvertible {
    case unreachable(String)
    case refused(status: Int, body: String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .unreachable(let detail): "the LLM server did not answer: \(detail)"
        case .refused(let status, let body): "the LLM server answered \(status): \(body)"
        case .unreadable(let body): "the LLM server's answer has no message: \(body)"
        }
    }
}
