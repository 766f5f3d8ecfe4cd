/// Walls that need a texture and have none, textures and flats the WAD does not define, sectors without flats.
///
/// A wall needs a texture where it is visible: the middle of a one-sided line; on a two-sided line, the
/// upper part of a side whose ceiling is higher than the other side's (unless both ceilings are sky) and
/// the lower part of a side whose floor is lower than the other side's.
enum TextureChecks {
    static let skyFlat = "F_SKY1"

    static func isMissing(_ name: String) -> Bool { name.isEmpty || name == "-" }

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
                if let other = entry.other {
                    let mine = map.sectors[entry.facing], theirs = map.sectors[other]
                    let bothSky = mine.ceilingTexture.uppercased() == skyFlat && theirs.ceilingTexture.uppercased() == skyFlat
                    if mine.ceilingHeight > theirs.ceilingHeight, !bothSky { needed.append(("upper", sidedef.upperTexture)) }
                    if mine.floorHeight < theirs.floorHeight { needed.append(("lower", sidedef.lowerTexture)) }
                } else if line.backSide == nil || entry.label == "front" {
                    needed.append(("middle", sidedef.middleTexture))
                }
                for (part, name) in needed where isMissing(name) {
                    findings.append(Finding(kind: .missingTexture,
                                            message: "Linedef \(index) at \(context.label(location)): the \(entry.label) side's \(part) texture is missing, so players see a hall-of-mirrors smear there. Set a texture.",
                                            location: location, ids: ids))
                }
                if let resources = context.resources {
                    for (part, name) in [("upper", sidedef.upperTexture), ("middle", sidedef.middleTexture), ("lower", sidedef.lowerTexture)]
                    where !isMissing(name) && !resources.knowsTexture(name) {
                        findings.append(Finding(kind: .unknownTexture,
                                                message: "Linedef \(index) at \(context.label(location)): the \(entry.label) side's \(part) texture \"\(name)\" is not defined in the WAD's textures. Vanilla engines quit with an error; pick an existing texture.",
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
                } else if let resources = context.resources, !resources.knowsFlat(name) {
                    findings.append(Finding(kind: .unknownFlat,
                                            message: "Sector \(index): the \(part) flat \"\(name)\" is not defined in the WAD's flats. Vanilla engines quit with an error; pick an existing flat.",
                                            location: location, ids: [MapElementID(.sector, index)]))
                }
            }
        }
        return findings
    }
}
