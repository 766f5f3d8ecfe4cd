import PlaytestCore

extension AgentMessage {
    /// The message with its episode number moved by `offset`. The agent counts its episodes from 0; a run counts them
    /// from 1, over all its attempts: a rescued run's agent starts again at 0, and its episode `i` is the run's
    /// `finished + 1 + i`.
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
