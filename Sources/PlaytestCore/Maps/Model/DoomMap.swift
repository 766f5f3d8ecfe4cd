/// One parsed map, whatever its format: the five element lists every format shares.
public struct DoomMap: Sendable, Codable {
    public var name: String
    public var format: MapFormat
    /// The UDMF namespace (`doom`, `zdoom`, ...); nil for binary formats.
    public var namespace: String?
    /// The title from MAPINFO/ZMAPINFO/UMAPINFO, when the WAD has one for this map.
    public var title: String?
    public var things: [Thing]
    public var linedefs: [Linedef]
    public var sidedefs: [Sidedef]
    public var vertices: [Vertex]
    public var sectors: [Sector]

    public init(name: String, format: MapFormat, namespace: String? = nil, title: String? = nil, things: [Thing],
                linedefs: [Linedef], sidedefs: [Sidedef], vertices: [Vertex], sectors: [Sector]) {
        self.name = name
        self.format = format
        self.namespace = namespace
        self.title = title
        self.things = things
        self.linedefs = linedefs
        self.sidedefs = sidedefs
        self.vertices = vertices
        self.sectors = sectors
    }

    /// Whether specials use Hexen numbering (Hexen format and UDMF outside the `doom`/`heretic`/`strife` namespaces).
    public var usesHexenSpecials: Bool {
        switch format {
        case .doom: return false
        case .hexen: return true
        case .udmf:
            let space = (namespace ?? "").lowercased()
            return !(space == "doom" || space == "heretic" || space == "strife")
        }
    }

    /// A linedef's two ends, nil when a vertex index is out of range or a coordinate unusable.
    public func lineEnds(_ line: Int) -> (MapPoint, MapPoint)? {
        guard linedefs.indices.contains(line) else { return nil }
        let linedef = linedefs[line]
        guard vertices.indices.contains(linedef.start), vertices.indices.contains(linedef.end) else { return nil }
        let a = vertices[linedef.start].point, b = vertices[linedef.end].point
        return a.isUsable && b.isUsable ? (a, b) : nil
    }

    /// The sector a sidedef faces, if the sidedef and its sector exist.
    @inline(__always)
    public func sector(ofSide side: Int?) -> Int? {
        guard let side, side >= 0, side < sidedefs.count else { return nil }
        let sector = sidedefs[side].sector
        return sector >= 0 && sector < sectors.count ? sector : nil
    }
}
