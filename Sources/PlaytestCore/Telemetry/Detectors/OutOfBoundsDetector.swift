/// A stretch of consecutive samples whose position is in no sector of the map (the player is in the void).
public struct OutOfBoundsSpan: Sendable, Hashable, Codable {
    /// The first position found outside the map.
    public var x: Double
    public var y: Double
    public var startTic: Int
    /// The last sampled tic still outside.
    public var endTic: Int
    public var samples: Int

    public init(x: Double, y: Double, startTic: Int, endTic: Int, samples: Int) {
        self.x = x
        self.y = y
        self.startTic = startTic
        self.endTic = endTic
        self.samples = samples
    }

    public var position: MapPoint { MapPoint(x: x, y: y) }

    enum CodingKeys: String, CodingKey {
        case x, y
        case startTic = "start_tic"
        case endTic = "end_tic"
        case samples
    }
}

/// Finds out-of-bounds positions from the sector each sample is in (the maps API's point-in-sector).
///
/// One span per excursion: it starts at the first sample in no sector and grows while the following samples are
/// in no sector too.
public struct OutOfBoundsDetector: Sendable {
    public private(set) var spans: [OutOfBoundsSpan] = []
    private var inVoid = false

    public init() {}

    /// Feeds one sample's sector (nil = in no sector); returns true when this sample starts a new excursion.
    public mutating func observe(sector: Int?, x: Double, y: Double, tic: Int) -> Bool {
        guard sector == nil else {
            inVoid = false
            return false
        }
        if inVoid, let last = spans.indices.last {
            spans[last].endTic = tic
            spans[last].samples += 1
            return false
        }
        inVoid = true
        spans.append(OutOfBoundsSpan(x: x, y: y, startTic: tic, endTic: tic, samples: 1))
        return true
    }
}
