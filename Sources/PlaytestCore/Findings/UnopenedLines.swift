import Foundation

/// Doors and switches that did nothing when used (docs/findings.md, `unopened_line`): the navigator reports each line
/// it pressed for a plan step that moved none of the sectors the step expects within 5 s (``UnansweredPress``); a
/// press is the map's fault only when Doom's use would have reached that line and set it off: the 64-unit use ray
/// from where the player stood, along where it faced, meets the line from its front before any other line with a
/// special, any one-sided wall or any closed opening (heights as the map starts), and the keys held open its lock.
extension PlayFindings {
    /// Doom's use range.
    static let useRange = 64.0

    /// One observation per press that reached its line and moved nothing (`presses` by episode), at the line's
    /// middle, naming the line and what it should move.
    public static func unopenedLines(presses: [Int: [UnansweredPress]], geometry: MapGeometry) -> [FindingObservation] {
        let map = geometry.map
        let kind = PlayFindingKind.unopenedLine
        let byTag = ProgressionModel.sectorsByTag(map)
        var out: [FindingObservation] = []
        for episode in presses.keys.sorted() {
            for press in presses[episode] ?? [] {
                guard map.linedefs.indices.contains(press.line), let action = LineActions.action(of: map.linedefs[press.line], in: map),
                      action.byPlayer, action.activation == .use, action.effect.movesSectors,
                      action.lock.isOpened(by: KeySet(names: press.keys)),
                      useReaches(press.line, from: MapPoint(x: press.x, y: press.y), angle: press.angle, map: map),
                      let ends = map.lineEnds(press.line) else { continue }
                let middle = MapPoint(x: (ends.0.x + ends.1.x) / 2, y: (ends.0.y + ends.1.y) / 2)
                let targets = ProgressionModel.targets(of: action, line: map.linedefs[press.line], map: map, byTag: byTag)
                let what = targets.isEmpty ? "it moves no sector (tag \(map.linedefs[press.line].tag) matches none)"
                    : "sector\(targets.count == 1 ? "" : "s") \(targets.map(String.init).joined(separator: ", ")) did not move"
                let keys = press.keys.isEmpty ? "" : " holding \(press.keys.joined(separator: ", "))"
                let message = String(format: "USE on line %d (%@) from (%.0f, %.0f), facing it from its front%@, did nothing for 5 s: ",
                                     press.line, action.name, press.x, press.y, keys) + what + "."
                out.append(FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                              x: middle.x, y: middle.y, sector: map.sector(ofSide: map.linedefs[press.line].frontSide),
                                              line: press.line, episode: episode, tic: press.tic))
            }
        }
        return out
    }

    /// Whether Doom's use ray from `from` along `angle` (degrees) sets off `line`: the first line it crosses that has a
    /// special, or that stops it (one-sided, or an opening closed as the map starts), is `line`, crossed from its front.
    static func useReaches(_ line: Int, from: MapPoint, angle: Double, map: DoomMap) -> Bool {
        let radians = angle * .pi / 180
        let to = MapPoint(x: from.x + useRange * cos(radians), y: from.y + useRange * sin(radians))
        var crossed: [(along: Double, line: Int, a: MapPoint, b: MapPoint)] = []
        for index in map.linedefs.indices {
            guard let (a, b) = map.lineEnds(index), let along = crossing(from, to, a, b) else { continue }
            crossed.append((along, index, a, b))
        }
        for (_, index, a, b) in crossed.sorted(by: { $0.along < $1.along }) {
            let linedef = map.linedefs[index]
            if index == line {
                // Doom's P_PointOnLineSide: the front is to the right of start → end.
                return (from.y - a.y) * (b.x - a.x) < (b.y - a.y) * (from.x - a.x)
            }
            if linedef.special != 0 { return false }
            guard let front = map.sector(ofSide: linedef.frontSide), let back = map.sector(ofSide: linedef.backSide) else { return false }
            let top = min(map.sectors[front].ceilingHeight, map.sectors[back].ceilingHeight)
            let bottom = max(map.sectors[front].floorHeight, map.sectors[back].floorHeight)
            if top - bottom <= 0 { return false }
        }
        return false
    }

    /// Where along p→q (0…1) the segment crosses a→b, nil when it does not.
    private static func crossing(_ p: MapPoint, _ q: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double? {
        let rx = q.x - p.x, ry = q.y - p.y, sx = b.x - a.x, sy = b.y - a.y
        let denominator = rx * sy - ry * sx
        guard denominator != 0 else { return nil }
        let t = ((a.x - p.x) * sy - (a.y - p.y) * sx) / denominator
        let u = ((a.x - p.x) * ry - (a.y - p.y) * rx) / denominator
        return (0...1).contains(t) && (0...1).contains(u) ? t : nil
    }
}
