/// A place where the player stayed for a long time without moving.
public struct StuckSpot: Sendable, Hashable, Codable {
    /// Where the still period began (the centre of the circle the player stayed in).
    public var x: Double
    public var y: Double
    /// The first and last sampled tics inside the circle.
    public var startTic: Int
    public var endTic: Int

    public init(x: Double, y: Double, startTic: Int, endTic: Int) {
        self.x = x
        self.y = y
        self.startTic = startTic
        self.endTic = endTic
    }

    public var durationTics: Int { endTic - startTic }
    public var durationSeconds: Double { Double(durationTics) / AgentProtocol.ticsPerSecond }
    public var position: MapPoint { MapPoint(x: x, y: y) }

    /// A marker for the map picture, labelled with the time stuck.
    public func marker(radius: Double = 32, style: OverlayStyle = OverlayStyle(stroke: "#d62728", fill: "#d62728", opacity: 0.5,
                                                                              cssClass: "stuck")) -> MapOverlay {
        let seconds = (durationSeconds * 10).rounded() / 10
        return .marker(at: position, radius: radius, label: "stuck \(seconds) s", style: style)
    }

    enum CodingKeys: String, CodingKey {
        case x, y
        case startTic = "start_tic"
        case endTic = "end_tic"
    }
}

/// Finds stuck spots: periods of at least `minimumTics` tics in which every sampled position stays within `radius`
/// map units of the period's first position.
///
/// A spot is reported when it ends: when the player leaves the circle, dies, or the episode ends. A dead player is
/// not stuck; samples after death are ignored.
public struct StuckDetector: Sendable {
    public struct Configuration: Sendable, Hashable, Codable {
        /// Map units the player may drift and still count as not moving (the agent's screenshot policy uses 16).
        public var radius: Double
        /// How long, in tics, the player must stay within `radius` (350 tics = 10 s, the agent's `stuck_tics`).
        public var minimumTics: Int

        public init(radius: Double = 16, minimumTics: Int = 350) {
            self.radius = radius
            self.minimumTics = minimumTics
        }

        enum CodingKeys: String, CodingKey {
            case radius
            case minimumTics = "minimum_tics"
        }
    }

    public let configuration: Configuration
    private var anchor: (x: Double, y: Double, tic: Int)?
    private var lastInsideTic = 0
    private var stopped = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The spot the player is in right now, if the still period is already long enough.
    public var currentSpot: StuckSpot? {
        guard let anchor, !stopped, lastInsideTic - anchor.tic >= configuration.minimumTics else { return nil }
        return StuckSpot(x: anchor.x, y: anchor.y, startTic: anchor.tic, endTic: lastInsideTic)
    }

    /// Feeds one position; returns a spot when this sample ends one.
    public mutating func observe(x: Double, y: Double, tic: Int, dead: Bool) -> StuckSpot? {
        guard !stopped else { return nil }
        guard let current = anchor else {
            if dead { stopped = true } else { start(x: x, y: y, tic: tic) }
            return nil
        }
        let dx = x - current.x, dy = y - current.y
        let inside = (dx * dx + dy * dy).squareRoot() <= configuration.radius
        if inside {
            lastInsideTic = max(lastInsideTic, tic)
            if dead { return finish() }
            return nil
        }
        let spot = currentSpot
        if dead {
            stopped = true
        } else {
            start(x: x, y: y, tic: tic)
        }
        return spot
    }

    /// Ends the episode; returns the spot the player was still in, if it is long enough.
    public mutating func finish() -> StuckSpot? {
        let spot = currentSpot
        stopped = true
        return spot
    }

    private mutating func start(x: Double, y: Double, tic: Int) {
        anchor = (x, y, tic)
        lastInsideTic = tic
    }
}
