/// What every check reads: the map, its geometry and the known texture and flat names.
public struct AnalysisContext: Sendable {
    public let map: DoomMap
    public let geometry: MapGeometry
    public let resources: MapResources?

    public init(geometry: MapGeometry, resources: MapResources?) {
        self.map = geometry.map
        self.geometry = geometry
        self.resources = resources
    }

    /// The midpoint of a linedef (its location in findings).
    func midpoint(ofLine index: Int) -> MapPoint {
        guard let (a, b) = ends(ofLine: index) else { return geometry.bounds.center }
        return MapPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }

    /// The end points of a linedef; nil when it refers to vertices that do not exist (only possible for a
    /// hand-built ``DoomMap``: the parsers reject such maps).
    func ends(ofLine index: Int) -> (MapPoint, MapPoint)? {
        guard index >= 0, index < map.linedefs.count else { return nil }
        let line = map.linedefs[index]
        guard line.start >= 0, line.start < map.vertices.count, line.end >= 0, line.end < map.vertices.count else { return nil }
        return (map.vertices[line.start].point, map.vertices[line.end].point)
    }

    func label(_ point: MapPoint) -> String {
        "(\(Self.format(point.x)), \(Self.format(point.y)))"
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Static checks of a map, modelled on Ultimate Doom Builder's Map Analysis mode.
public enum MapAnalysis {
    /// A named check; `MapAnalysis.checks` lists them in the order they run.
    public struct Check: Sendable {
        public let name: String
        public let kinds: [FindingKind]
        let run: @Sendable (AnalysisContext) -> [Finding]
    }

    public static let checks: [Check] = [
        Check(name: "Player starts", kinds: [.missingPlayerStart, .tooFewDeathmatchStarts], run: StartChecks.run),
        Check(name: "Sectors", kinds: [.unclosedSector, .zeroAreaSector], run: SectorChecks.run),
        Check(name: "Linedef references", kinds: [.missingFrontSide, .oneSidedLineMarkedTwoSided, .twoSidedLineMarkedOneSided],
              run: LinedefReferenceChecks.run),
        Check(name: "Textures and flats", kinds: [.missingTexture, .unknownTexture, .missingFlat, .unknownFlat],
              run: TextureChecks.run),
        Check(name: "Overlaps", kinds: [.overlappingVertices, .overlappingLines, .zeroLengthLine], run: OverlapChecks.run),
        Check(name: "Thing placement", kinds: [.thingStuckInWall, .thingOutsideMap], run: ThingPlacementChecks.run),
        Check(name: "Map size", kinds: [.mapTooLarge], run: MapExtentCheck.run),
        Check(name: "Exit", kinds: [.noExit], run: ExitCheck.run),
    ]

    /// Runs every check; findings come sorted by severity, then in check order.
    public static func run(_ map: DoomMap, resources: MapResources? = nil) -> [Finding] {
        run(geometry: MapGeometry(map), resources: resources)
    }

    public static func run(geometry: MapGeometry, resources: MapResources? = nil) -> [Finding] {
        let context = AnalysisContext(geometry: geometry, resources: resources)
        let findings = checks.flatMap { $0.run(context) }
        // A stable sort keeps the check order within each severity.
        return findings.enumerated().sorted { lhs, rhs in
            lhs.element.severity != rhs.element.severity ? lhs.element.severity < rhs.element.severity : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
