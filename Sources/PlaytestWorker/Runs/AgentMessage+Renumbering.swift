import PlaytestCore

extension AgentMessage {
    /// The message with its episode number moved by `offset` (a rescued test run's agent counts from 0
    /// again; its episode `i` is stored as `finished + i`).
    func renumberingEpisodes(by offset: Int) -> AgentMessage {
        guard offset != 0 else { return self }
        switch self {
        case .episodeStart(var message):
            message.episode += offset
            return .episodeStart(message)
        case .step(var sample):
            sample.episode += offset
            return .step(sample)
        case .episodeEnd(var message):
            message.episode += offset
            return .episodeEnd(message)
        case .artifact(var message):
            message.episode += offset
            return .artifact(message)
        case .hello, .trainProgress, .checkpoint, .error, .done:
            return self
        }
    }
}
