/// One episode's timeline, as `GET /testing/{id}/logs?episode_num=N` shows it.
public struct EpisodeLog: Sendable, Hashable, Codable {
    public var episodeNum: Int
    public var durationSeconds: Double
    /// The episode's length in game tics (frames at 35 per second).
    public var frames: Int
    public var events: [TelemetryEvent]
    public var healthTimeline: [HealthPoint]
    public var stuckSpots: [StuckSpot]
    public var outOfBounds: [OutOfBoundsSpan]

    public init(episodeNum: Int, durationSeconds: Double, frames: Int, events: [TelemetryEvent], healthTimeline: [HealthPoint],
                stuckSpots: [StuckSpot] = [], outOfBounds: [OutOfBoundsSpan] = []) {
        self.episodeNum = episodeNum
        self.durationSeconds = durationSeconds
        self.frames = frames
        self.events = events
        self.healthTimeline = healthTimeline
        self.stuckSpots = stuckSpots
        self.outOfBounds = outOfBounds
    }

    public init(episodeNum: Int? = nil, derivation deriver: EventDeriver) {
        let frames = deriver.lastSample?.tic ?? 0
        self.init(episodeNum: episodeNum ?? deriver.episode ?? 0,
                  durationSeconds: Double(frames) / AgentProtocol.ticsPerSecond, frames: frames,
                  events: deriver.events, healthTimeline: deriver.healthTimeline, stuckSpots: deriver.stuckSpots,
                  outOfBounds: deriver.outOfBounds.spans)
    }

    enum CodingKeys: String, CodingKey {
        case episodeNum = "episode_num"
        case durationSeconds = "duration_seconds"
        case frames, events
        case healthTimeline = "health_timeline"
        case stuckSpots = "stuck_spots"
        case outOfBounds = "out_of_bounds"
    }
}
