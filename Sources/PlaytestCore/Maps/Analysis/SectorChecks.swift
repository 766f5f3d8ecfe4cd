/// Sectors whose boundary does not close, and sectors that enclose no area.
enum SectorChecks {
    static func run(_ context: AnalysisContext) -> [Finding] {
        var findings: [Finding] = []
        for polygon in context.geometry.sectorPolygons {
            let id = MapElementID(.sector, polygon.sector)
            if let first = polygon.unclosedVertices.first ?? polygon.openChains.first?.first {
                let count = polygon.unclosedVertices.count
                findings.append(Finding(kind: .unclosedSector,
                                        message: "Sector \(polygon.sector) is not closed: its lines leave a gap at \(context.label(first))\(count > 1 ? " and \(count - 1) other point(s)" : ""). Players may see the void or fall out of the map.",
                                        location: first, ids: [id]))
            } else if polygon.area < 0.5 {
                let location = polygon.loops.first?.points.first ?? context.geometry.bounds.center
                let reason = polygon.loops.isEmpty ? "no lines face it" : "its lines enclose no area"
                findings.append(Finding(kind: .zeroAreaSector,
                                        message: "Sector \(polygon.sector) has area 0: \(reason). Delete it or give it a shape.",
                                        location: location, ids: [id]))
            }
        }
        return findings
    }
}

extension MapBounds {
    public var center: MapPoint { MapPoint(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }
}
