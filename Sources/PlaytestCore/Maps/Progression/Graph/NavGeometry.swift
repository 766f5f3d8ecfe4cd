/// Plane geometry for the navigation graph: distances and crossings between points and segments.
enum NavGeometry {
    /// The unit normal pointing out of a line's front (right) side.
    static func frontNormal(_ a: MapPoint, _ b: MapPoint) -> (Double, Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return (0, 0) }
        return (dy / length, -dx / length)
    }

    /// Which side of the line a→b the point lies on: > 0 front (right), < 0 back (left), 0 on it.
    @inline(__always)
    static func side(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
        return cross < 0 ? 1 : (cross > 0 ? -1 : 0)
    }

    @inline(__always)
    static func distance(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        squaredDistance(p, a, b).squareRoot()
    }

    @inline(__always)
    static func squaredDistance(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        let c = closestPoint(p, a, b)
        return (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)
    }

    /// The point of segment a→b nearest to p.
    @inline(__always)
    static func closestPoint(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> MapPoint {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared)) : 0
        return MapPoint(x: a.x + t * dx, y: a.y + t * dy)
    }

    /// Where segment p→q properly crosses segment a→b: the parameter along p→q in (0, 1), or nil.
    @inline(__always)
    static func crossing(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double? {
        let rx = q.x - p.x, ry = q.y - p.y, sx = b.x - a.x, sy = b.y - a.y
        let denominator = rx * sy - ry * sx
        guard denominator != 0 else { return nil }
        let t = ((a.x - p.x) * sy - (a.y - p.y) * sx) / denominator
        let u = ((a.x - p.x) * ry - (a.y - p.y) * rx) / denominator
        guard t > 0, t < 1, u >= 0, u <= 1 else { return nil }
        return t
    }

    /// Whether segment p→q passes inside the axis-aligned square of half-size `half` around `center`. Doom blocks a
    /// mobj by another when both boxes overlap (|dx| and |dy| both under the sum of the radii), not by the distance of
    /// their centres: a square, whose corners reach √2 further than a disc (E2M6's columns beside a door's switch).
    /// Running along its side or through its corner only is not inside (Doom's test is strict).
    @inline(__always)
    static func entersSquare(_ p: MapPoint, _ q: MapPoint, center: MapPoint, half: Double) -> Bool {
        var enter = 0.0, leave = 1.0
        // The stretch of the walk inside the square's slab along one axis narrows (enter, leave).
        func clip(_ start: Double, _ delta: Double, _ middle: Double) -> Bool {
            if delta == 0 { return abs(start - middle) < half }
            let a = (middle - half - start) / delta, b = (middle + half - start) / delta
            enter = max(enter, min(a, b))
            leave = min(leave, max(a, b))
            return enter < leave
        }
        return clip(p.x, q.x - p.x, center.x) && clip(p.y, q.y - p.y, center.y)
    }

    /// Where along segment p→q (parameters in 0…1) a square box of half-size `half` centred on the walk overlaps
    /// segment a→b, touching included; nil when it never does. Separating axes: x, y, and the line's normal.
    static func boxOverlap(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint, half: Double) -> (from: Double, to: Double)? {
        var from = 0.0, to = 1.0
        // The parameters at which start + t × delta lies within low…high narrow (from, to).
        func clip(_ start: Double, _ delta: Double, _ low: Double, _ high: Double) -> Bool {
            if delta == 0 { return start >= low && start <= high }
            let u = (low - start) / delta, v = (high - start) / delta
            from = max(from, min(u, v))
            to = min(to, max(u, v))
            return from <= to
        }
        let lx = b.x - a.x, ly = b.y - a.y, l = (lx * lx + ly * ly).squareRoot()
        guard l > 0,
              clip(p.x, q.x - p.x, min(a.x, b.x) - half, max(a.x, b.x) + half),
              clip(p.y, q.y - p.y, min(a.y, b.y) - half, max(a.y, b.y) + half) else { return nil }
        let nx = -ly / l, ny = lx / l, reach = half * (abs(nx) + abs(ny))
        let start = (p.x - a.x) * nx + (p.y - a.y) * ny, delta = (q.x - p.x) * nx + (q.y - p.y) * ny
        return clip(start, delta, -reach, reach) ? (from, to) : nil
    }

    /// The smallest distance between two segments (0 when they cross).
    static func distance(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        if crossing(p, q, a, b) != nil { return 0 }
        return separation(p, q, a, b)
    }

    /// The smallest distance between two segments that do not cross: the nearest of their ends to the other
    /// segment. One square root (of the smallest square) gives the same value as the smallest of four.
    @inline(__always)
    static func separation(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        min(squaredDistance(p, a, b), squaredDistance(q, a, b), squaredDistance(a, p, q), squaredDistance(b, p, q)).squareRoot()
    }
}
