/// Walls that need a texture and have none, textures and flats the WAD does not define, sectors without flats.
///
/// A wall needs a texture where it is visible: the middle of a one-sided line in a sector with height; on
/// a two-sided line, the upper part of a side whose ceiling is higher than the other side's ceiling and
/// its own floor (unless both ceilings are sky), and the lower part of a side whose floor is lower than
/// the other side's floor and its own ceiling. In the Hexen and UDMF formats (ZDoom-family ports) a wall
/// may use a flat and a floor a wall texture.
enum TextureChecks {
    static let skyFlat = "F_SKY1"

    static func isMissing(_ name: String) -> Bool { name.isEmpty || name == "-" }

    /// ZDoom-family ports (the Hexen and UDMF formats target them) let walls use flats and floors use textures.
    static func mixesNamespaces(_ map: DoomMap) -> Bool { map.format != .doom }

    static func knowsTexture(_ name: String, _ resources: MapResources, _ map: DoomMap) -> Bool {
        resources.knowsTexture(name) || (mixesNamespaces(map) && !resources.flats.isEmpty && resources.knowsFlat(name))
    }

    static func knowsFlat(_ name: String, _ resources: MapResources, _ map: DoomMap) -> Bool {
        resources.knowsFlat(name) || (mixesNamespaces(map) && !resources.textures.isEmpty && resources.knowsTexture(name))
    }

    static func run(_ context: AnalysisContext) -> [Finding] {
        var findings: [Finding] = []
        let map = context.map
        for (index, line) in map.linedefs.enumerated() {
            let sides: [(side: Int, facing: Int, other: Int?, label: String)] = [
                line.frontSide.flatMap { side in map.sector(ofSide: side).map { (side, $0, map.sector(ofSide: line.backSide), "front") } },
                line.backSide.flatMap { side in map.sector(ofSide: side).map { (side, $0, map.sector(ofSide: line.frontSide), "back") } },
            ].compactMap { $0 }
            for entry in sides {
                let sidedef = map.sidedefs[entry.side]
                let location = context.midpoint(ofLine: index)
                let ids = [MapElementID(.linedef, index), MapElementID(.sidedef, entry.side)]
                var needed: [(part: String, name: String)] = []
                let mine = map.sectors[entry.facing]
                if let other = entry.other {
                    let theirs = map.sectors[other]
                    let bothSky = mine.ceilingTexture.uppercased() == skyFlat && theirs.ceilingTexture.uppercased() == skyFlat
                    // The upper wall runs from the other ceiling (or my floor) up to my ceiling; the lower wall from
                    // my floor up to the other floor (or my ceiling). Only a part with height is visible.
                    if mine.ceilingHeight > max(theirs.ceilingHeight, mine.floorHeight), !bothSky {
                        needed.append(("upper", sidedef.upperTexture))
                    }
                    if min(theirs.floorHeight, mine.ceilingHeight) > mine.floorHeight { needed.append(("lower", sidedef.lowerTexture)) }
                } else if line.backSide == nil || entry.label == "front", mine.ceilingHeight > mine.floorHeight {
                    needed.append(("middle", sidedef.middleTexture))
                }
                for (part, name) in needed where isMissing(name) {
                    findings.append(Finding(kind: .missingTexture,
                                            message: "Linedef \(index) at \(context.label(location)): the \(entry.label) side's \(part) texture is missing, so players see a hall-of-mirrors smear there. Set a texture.",
                                            location: location, ids: ids))
                }
                if let resources = context.resources {
                    for (part, name) in [("upper", sidedef.upperTexture), ("middle", sidedef.middleTexture), ("lower", sidedef.lowerTexture)]
                    where !isMissing(name) && !knowsTexture(name, resources, map) {
                        findings.append(Finding(kind: .unknownTexture,
                                                message: "Linedef \(index) at \(context.label(location)): the \(entry.label) side's \(part) texture \"\(name)\" is not defined in the WAD's textures. The engine cannot draw it (vanilla Doom quits with an error); pick an existing texture.",
                                                location: location, ids: ids))
                    }
                }
            }
        }
        findings.append(contentsOf: flatFindings(context))
        return findings
    }

    private static func flatFindings(_ context: AnalysisContext) -> [Finding] {
        var findings: [Finding] = []
        for (index, sector) in context.map.sectors.enumerated() {
            let polygon = context.geometry.sectorPolygons[index]
            let location = polygon.loops.first?.points.first ?? polygon.openChains.first?.first ?? context.geometry.bounds.center
            for (part, name) in [("floor", sector.floorTexture), ("ceiling", sector.ceilingTexture)] {
                if isMissing(name) {
                    findings.append(Finding(kind: .missingFlat,
                                            message: "Sector \(index) has no \(part) flat. Set one (for example FLOOR0_1), or the engine draws garbage.",
                                            location: location, ids: [MapElementID(.sector, index)]))
                } else if let resources = context.resources, !knowsFlat(name, resources, context.map) {
                    findings.append(Finding(kind: .unknownFlat,
                                            message: "Sector \(index): the \(part) flat \"\(name)\" is not defined in the WAD's flats. The engine cannot draw it (vanilla Doom quits with an error); pick an existing flat.",
                                            location: location, ids: [MapElementID(.sector, index)]))
                }
            }
        }
        return findings
    }
}
