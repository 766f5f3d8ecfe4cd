import Foundation

/// The optional LLM that writes a run's summary in prose (docs/evidence.md): any server speaking OpenAI's chat
/// completions protocol. Off unless `LLM_BASE_URL` is set; then `LLM_MODEL` is required, `LLM_API_KEY` is sent as a
/// bearer token when given, and `LLM_TIMEOUT_SECONDS` (default 60) bounds one request.
public struct LLMSettings: Sendable, Hashable {
    /// e.g. `https://api.openai.com/v1`; requests go to `<base>/chat/completions`.
    public var baseURL: String
    public var apiKey: String?
    public var model: String
    public var timeout: Duration

    public init(baseURL: String, apiKey: String? = nil, model: String, timeout: Duration = .seconds(60)) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }

    static func load(from env: [String: String]) throws(ConfigurationError) -> LLMSettings? {
        func value(_ name: String) -> String? {
            env[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let base = value("LLM_BASE_URL") else { return nil }
        try URLCheck.require(base, variable: "LLM_BASE_URL", schemes: ["http", "https"], needsHost: true)
        guard let model = value("LLM_MODEL") else {
            throw ConfigurationError(variable: "LLM_MODEL", problem: "is required when LLM_BASE_URL is set (the chat model to ask)")
        }
        var timeout = 60
        if let text = value("LLM_TIMEOUT_SECONDS") {
            guard let seconds = Int(text), (1...600).contains(seconds) else {
                throw ConfigurationError(variable: "LLM_TIMEOUT_SECONDS", problem: "\(text.debugDescription) is not an integer in 1...600")
            }
            timeout = seconds
        }
        return LLMSettings(baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, apiKey: value("LLM_API_KEY"), model: model,
                           timeout: .seconds(timeout))
    }
}
