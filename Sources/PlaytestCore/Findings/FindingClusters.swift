/// Clustering: a sighting of the same kind within ``radius`` map units of a tracked finding's place, in the same map
/// (any version, any run), is that finding seen again rather than a new one.
public enum FindingClusters {
    public static let radius = 64.0

    /// The nearest of `candidates` (same map, same kind) within ``radius`` of (x, y); nil when none is.
    public static func match<ID>(_ candidates: [(id: ID, x: Double, y: Double)], x: Double, y: Double) -> ID? {
        var best: (id: ID, distance: Double)?
        for candidate in candidates {
            let dx = candidate.x - x, dy = candidate.y - y
            let distance = (dx * dx + dy * dy).squareRoot()
            if distance <= radius, distance < best?.distance ?? .infinity { best = (candidate.id, distance) }
        }
        return best?.id
    }
}
