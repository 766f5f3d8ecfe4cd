import Foundation

extension MapGeometry {
    /// Where a line of sight first meets a wall: a one-sided line, or a two-sided one whose sectors' floors or ceilings
    /// differ (where a lower or upper texture shows, or should). From `point` along `bearing` (degrees, Doom's: 0 east,
    /// anticlockwise), up to `range` units; nil when it meets none. What the player saw a visual defect through.
    public func firstWall(from point: MapPoint, bearing: Double, range: Double = 4096) -> (line: Int, at: MapPoint, distance: Double)? {
        let dx = cos(bearing * .pi / 180), dy = sin(bearing * .pi / 180)
        var best: (line: Int, at: MapPoint, distance: Double)?
        for (index, line) in map.linedefs.enumerated() where isWall(line) {
            guard map.vertices.indices.contains(line.start), map.vertices.indices.contains(line.end) else { continue }
            let a = map.vertices[line.start], b = map.vertices[line.end]
            let ex = b.x - a.x, ey = b.y - a.y
            let denominator = dx * ey - dy * ex
            guard abs(denominator) > 1e-9 else { continue }  // parallel
            let wx = a.x - point.x, wy = a.y - point.y
            let t = (wx * ey - wy * ex) / denominator  // along the sight line
            let u = (wx * dy - wy * dx) / denominator  // along the wall, 0...1 on it
            guard t > 0, t <= range, u >= 0, u <= 1, t < (best?.distance ?? .infinity) else { continue }
            best = (index, MapPoint(x: point.x + t * dx, y: point.y + t * dy), t)
        }
        return best
    }

    private func isWall(_ line: Linedef) -> Bool {
        guard let back = line.backSide, let front = line.frontSide,
              map.sidedefs.indices.contains(back), map.sidedefs.indices.contains(front) else { return true }
        let sectors = (map.sidedefs[front].sector, map.sidedefs[back].sector)
        guard map.sectors.indices.contains(sectors.0), map.sectors.indices.contains(sectors.1) else { return true }
        let near = map.sectors[sectors.0], far = map.sectors[sectors.1]
        return near.floorHeight != far.floorHeight || near.ceilingHeight != far.ceilingHeight
    }
}
