/// What one message changed in a test run's telemetry.
public struct TelemetryUpdate: Sendable, Hashable {
    /// Events derived from this message, to append to the run's event log.
    public var events: [TelemetryEvent] = []
    /// The episode this message finished, with its log, when it finished one.
    public var finishedEpisode: EpisodeMetrics?
    public var finishedLog: EpisodeLog?

    public init(events: [TelemetryEvent] = [], finishedEpisode: EpisodeMetrics? = nil, finishedLog: EpisodeLog? = nil) {
        self.events = events
        self.finishedEpisode = finishedEpisode
        self.finishedLog = finishedLog
    }
}

/// A whole test run's telemetry, fed message by message in the order the agent wrote them: one ``EventDeriver`` per
/// episode, the finished episodes' metrics, the run's aggregate and its merged coverage.
///
/// `episode_start` opens an episode, `step` feeds it, `episode_end` closes it. A `step` or `episode_end` of an
/// episode that was never opened opens it (the worker may resume mid-run); a new episode while one is open closes the
/// open one without an `episode_end`; ``finish()`` closes the last one when the agent stopped without its
/// `episode_end` (a crash). Other messages change nothing here.
public struct TestRunTelemetry: Sendable {
    public let configuration: EventDeriver.Configuration
    private let map: TelemetryMap?

    /// The open episode, if any.
    public private(set) var current: EventDeriver?
    /// Finished episodes, in the order they finished.
    public private(set) var episodes: [EpisodeMetrics] = []
    /// Where the player has been over the finished episodes (for the run's heatmap).
    public private(set) var coverage: CoverageTracker

    public init(map: TelemetryMap? = nil, configuration: EventDeriver.Configuration = .init()) {
        self.map = map
        self.configuration = configuration
        self.coverage = CoverageTracker(cellSize: configuration.coverageCellSize, reachableSectors: map?.reachableSectors)
    }

    /// Metrics over the finished episodes.
    public var aggregate: AggregateMetrics { AggregateMetrics(episodes: episodes) }

    @discardableResult
    public mutating func ingest(_ message: AgentMessage) -> TelemetryUpdate {
        switch message {
        case .episodeStart(let start):
            var update = TelemetryUpdate()
            if current != nil { update = close(with: nil) }
            open(start.episode)
            return update
        case .step(let sample):
            var update = TelemetryUpdate()
            if current?.episode.map({ $0 != sample.episode }) ?? true {
                if current != nil { update = close(with: nil) }
                open(sample.episode)
            }
            update.events += current?.ingest(sample) ?? []
            return update
        case .episodeEnd(let end):
            var update = TelemetryUpdate()
            if current?.episode.map({ $0 != end.episode }) ?? true {
                if current != nil { update = close(with: nil) }
                open(end.episode)
            }
            let closing = close(with: end)
            update.events += closing.events
            update.finishedEpisode = closing.finishedEpisode
            update.finishedLog = closing.finishedLog
            return update
        case .hello, .trainProgress, .checkpoint, .artifact, .error, .done:
            return TelemetryUpdate()
        }
    }

    /// Closes the open episode without an `episode_end`; nothing when none is open.
    @discardableResult
    public mutating func finish() -> TelemetryUpdate {
        current == nil ? TelemetryUpdate() : close(with: nil)
    }

    private mutating func open(_ episode: Int) {
        current = EventDeriver(episode: episode, map: map, configuration: configuration)
    }

    private mutating func close(with end: EpisodeEndMessage?) -> TelemetryUpdate {
        guard var deriver = current else { return TelemetryUpdate() }
        let events = deriver.finish(end)
        current = nil
        let metrics = EpisodeMetrics(derivation: deriver)
        episodes.append(metrics)
        coverage.merge(deriver.coverage)
        return TelemetryUpdate(events: events, finishedEpisode: metrics, finishedLog: EpisodeLog(derivation: deriver))
    }
}
