/// Element counts of one map.
public struct MapCounts: Sendable, Hashable, Codable {
    public var things: Int
    public var linedefs: Int
    public var sidedefs: Int
    public var vertices: Int
    public var sectors: Int

    public init(_ map: DoomMap) {
        things = map.things.count
        linedefs = map.linedefs.count
        sidedefs = map.sidedefs.count
        vertices = map.vertices.count
        sectors = map.sectors.count
    }
}

/// What the map library shows per map: counts, geometry figures and findings by severity. Codable for JSON.
public struct MapSummary: Sendable, Hashable, Codable {
    public var name: String
    public var format: MapFormat
    public var title: String?
    public var counts: MapCounts
    /// Things per category (`monster`, `weapon`, ...), categories with none left out.
    public var thingCounts: [String: Int]
    public var bounds: MapBounds
    /// Sum of sector areas in square map units.
    public var area: Double
    public var reachableSectors: Int
    public var playerStarts: Int
    public var deathmatchStarts: Int
    public var exits: Int
    public var findings: FindingCounts

    public init(geometry: MapGeometry, findings: [Finding]) {
        let map = geometry.map
        name = map.name
        format = map.format
        title = map.title
        counts = MapCounts(map)
        thingCounts = Dictionary(uniqueKeysWithValues: geometry.thingCounts.map { (Self.snakeCase($0.key.rawValue), $0.value) })
        bounds = geometry.bounds
        area = geometry.area
        reachableSectors = geometry.reachableSectors().count
        playerStarts = geometry.playerStarts.count
        deathmatchStarts = geometry.deathmatchStarts.count
        exits = geometry.exitLines.count
        self.findings = FindingCounts(findings)
    }

    /// A thing category as JSON names it: `playerStart` → `player_start`.
    public static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            result += character.isUppercase ? "_" + character.lowercased() : String(character)
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, format, title, counts, bounds, area, exits, findings
        case thingCounts = "thing_counts"
        case reachableSectors = "reachable_sectors"
        case playerStarts = "player_starts"
        case deathmatchStarts = "deathmatch_starts"
    }
}

/// The full report for one map: its summary and every finding.
public struct MapReport: Sendable, Codable {
    public var summary: MapSummary
    public var findings: [Finding]

    /// Parses, builds geometry and runs every check.
    public init(wad: WAD, map entry: MapEntry, resources: MapResources? = nil) throws(WADError) {
        let map = try MapParser.parse(wad: wad, map: entry)
        self.init(geometry: MapGeometry(map), resources: resources)
    }

    public init(geometry: MapGeometry, resources: MapResources? = nil) {
        let findings = MapAnalysis.run(geometry: geometry, resources: resources)
        self.summary = MapSummary(geometry: geometry, findings: findings)
        self.findings = findings
    }
}

/// What an upload of a WAD answers with: the WAD's kind and a summary of every map.
public struct WADSummary: Sendable, Codable {
    public var kind: WADKind
    /// The formats of the maps inside, e.g. `["doom"]` or `["udmf"]`.
    public var formats: [MapFormat]
    public var maps: [MapSummary]

    /// Reads the WAD and summarizes every map. A WAD without maps is an error (``WADError/noMaps``), and
    /// so is any map that does not parse: the upload should be refused with the reader's message.
    /// - Parameter baseResources: textures and flats of the IWAD the WAD runs on (added to the WAD's own).
    public init(bytes: [UInt8], baseResources: MapResources? = nil) throws(WADError) {
        let wad = try WAD(bytes: bytes)
        guard !wad.maps.isEmpty else { throw .noMaps }
        var resources = MapResources(wads: [wad])
        if let baseResources { resources.formUnion(baseResources) }
        var summaries: [MapSummary] = []
        for entry in wad.maps {
            summaries.append(try MapReport(wad: wad, map: entry, resources: resources).summary)
        }
        kind = wad.kind
        formats = MapFormat.allCases.filter { format in wad.maps.contains { $0.format == format } }
        maps = summaries
    }
}
