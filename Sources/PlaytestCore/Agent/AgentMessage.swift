/// One message from an agent's stdout, with its typed payload.
public enum AgentMessage: Sendable, Hashable {
    case hello(HelloMessage)
    case episodeStart(EpisodeStartMessage)
    case step(StepSample)
    case episodeEnd(EpisodeEndMessage)
    case trainProgress(TrainProgressMessage)
    case checkpoint(CheckpointMessage)
    case artifact(ArtifactMessage)
    case error(AgentErrorMessage)
    case done(DoneMessage)

    public var type: AgentMessageType {
        switch self {
        case .hello: return .hello
        case .episodeStart: return .episodeStart
        case .step: return .step
        case .episodeEnd: return .episodeEnd
        case .trainProgress: return .trainProgress
        case .checkpoint: return .checkpoint
        case .artifact: return .artifact
        case .error: return .error
        case .done: return .done
        }
    }

    /// The episode a message belongs to, for the messages that carry one.
    public var episode: Int? {
        switch self {
        case .episodeStart(let message): return message.episode
        case .step(let sample): return sample.episode
        case .episodeEnd(let message): return message.episode
        case .artifact(let message): return message.episode
        case .hello, .trainProgress, .checkpoint, .error, .done: return nil
        }
    }
}

/// Encodes a message the way the agent writes it: the payload's fields next to `"v"` and `"type"` in one object.
extension AgentMessage: Encodable {
    private enum EnvelopeKeys: String, CodingKey {
        case v, type
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .hello(let payload): try payload.encode(to: encoder)
        case .episodeStart(let payload): try payload.encode(to: encoder)
        case .step(let payload): try payload.encode(to: encoder)
        case .episodeEnd(let payload): try payload.encode(to: encoder)
        case .trainProgress(let payload): try payload.encode(to: encoder)
        case .checkpoint(let payload): try payload.encode(to: encoder)
        case .artifact(let payload): try payload.encode(to: encoder)
        case .error(let payload): try payload.encode(to: encoder)
        case .done(let payload): try payload.encode(to: encoder)
        }
        var envelope = encoder.container(keyedBy: EnvelopeKeys.self)
        try envelope.encode(AgentProtocol.version, forKey: .v)
        try envelope.encode(type, forKey: .type)
    }
}
