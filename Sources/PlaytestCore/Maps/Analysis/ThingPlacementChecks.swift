/// Solid things whose collision box crosses a wall, and things outside every sector.
enum ThingPlacementChecks {
    static func run(_ context: AnalysisContext) -> [Finding] {
        let map = context.map
        var findings: [Finding] = []
        let walls = LineGrid(map: map) { $0.backSide == nil || $0.isBlocking }
        for (index, thing) in map.things.enumerated() {
            guard thing.position.isUsable else { continue }
            let name = ThingCatalog.kind(of: thing.type)?.name ?? "Thing type \(thing.type)"
            let ids = [MapElementID(.thing, index)]
            if context.geometry.sector(at: thing.position) == nil {
                findings.append(Finding(kind: .thingOutsideMap,
                                        message: "Thing \(index) (\(name)) at \(context.label(thing.position)) is outside every sector. It never appears in the game; move it inside the map or delete it.",
                                        location: thing.position, ids: ids))
                continue
            }
            guard let kind = ThingCatalog.kind(of: thing.type), kind.isSolid else { continue }
            let r = kind.radius
            let box = MapBounds(minX: thing.x - r, minY: thing.y - r, maxX: thing.x + r, maxY: thing.y + r)
            for lineIndex in walls.lines(near: box).sorted() {
                guard let (a, b) = context.ends(ofLine: lineIndex) else { continue }
                if segment(a, b, crossesInteriorOf: box) {
                    findings.append(Finding(kind: .thingStuckInWall,
                                            message: "Thing \(index) (\(name), radius \(Int(r))) at \(context.label(thing.position)) overlaps wall linedef \(lineIndex). It is stuck and cannot move; move it at least \(Int(r)) units away from the wall.",
                                            location: thing.position, ids: ids + [MapElementID(.linedef, lineIndex)]))
                    break
                }
            }
        }
        return findings
    }

    /// Whether the segment passes through the open box (touching its edges does not count). Liang–Barsky clipping.
    static func segment(_ a: MapPoint, _ b: MapPoint, crossesInteriorOf box: MapBounds) -> Bool {
        let epsilon = 1e-6
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        let tests: [(Double, Double)] = [
            (-dx, a.x - (box.minX + epsilon)), (dx, (box.maxX - epsilon) - a.x),
            (-dy, a.y - (box.minY + epsilon)), (dy, (box.maxY - epsilon) - a.y),
        ]
        for (p, q) in tests {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 {
                    if t > t1 { return false }
                    t0 = max(t0, t)
                } else {
                    if t < t0 { return false }
                    t1 = min(t1, t)
                }
            }
        }
        return t0 < t1
    }
}
