/// Answers "which sector is this point in?"; ``MapGeometry`` and ``SectorLocator`` are the real ones.
public protocol SectorLookup: Sendable {
    /// The sector containing a point, or nil in the void.
    func sector(at point: MapPoint) -> Int?
}

extension MapGeometry: SectorLookup {}
extension SectorLocator: SectorLookup {}

/// What the telemetry analysis needs from the map being played: point-in-sector and the sectors a player can
/// reach from the starts. Build it once per run; it is shared by every episode.
public struct TelemetryMap: Sendable {
    public let lookup: any SectorLookup
    /// Sectors reachable from the player starts; coverage is measured against these.
    public let reachableSectors: Set<Int>

    public init(lookup: any SectorLookup, reachableSectors: Set<Int>) {
        self.lookup = lookup
        self.reachableSectors = reachableSectors
    }

    /// Uses the geometry's point-in-sector and its reachability from the player starts.
    public init(geometry: MapGeometry) {
        self.init(lookup: geometry, reachableSectors: Set(geometry.reachableSectors()))
    }
}
