import Foundation

/// The play findings of a test run, from its episodes' events and the planner's verdict on its map.
public enum PlayFindings {
    /// The events `observations` turns into findings (its switch's cases): a run's others (ammunition and health lost,
    /// kills: 95 % of them) need not be read.
    public static let eventTypes: Set<TelemetryEventType> = [.stuck, .outOfBounds, .death]

    /// One observation per stuck spot, death and out-of-bounds event, in episode then event order.
    public static func observations(events: [Int: [TelemetryEvent]]) -> [FindingObservation] {
        var out: [FindingObservation] = []
        for episode in events.keys.sorted() {
            for event in events[episode] ?? [] {
                let kind: PlayFindingKind, message: String
                switch event.detail {
                case .stuck(let tics, let radius):
                    kind = .stuck
                    message = String(format: "The player stayed within %.0f units of this spot for %.1f s.", radius,
                                     Double(tics) / AgentProtocol.ticsPerSecond)
                case .outOfBounds:
                    kind = .outOfBounds
                    message = "The player was outside every sector of the map here: a hole in the map or a missing sector."
                case .death:
                    kind = .deathHotspot
                    message = "A player died here."
                default:
                    continue
                }
                out.append(FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                              x: event.x, y: event.y, episode: episode, tic: event.frame))
            }
        }
        return out
    }

    /// One observation per secret sector that no episode entered (`visited`: the sectors any episode's positions were
    /// in), placed inside the sector.
    public static func secretsMissed(geometry: MapGeometry, visited: Set<Int>) -> [FindingObservation] {
        let kind = PlayFindingKind.secretMissed
        return geometry.map.sectors.indices.filter { isSecret(geometry.map.sectors[$0], format: geometry.map.format) && !visited.contains($0) }
            .compactMap { sector in
                guard let point = pointInside(sector: sector, geometry: geometry) else { return nil }
                return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play,
                                          message: "No episode entered this secret (sector \(sector)).", x: point.x, y: point.y, sector: sector)
            }
    }

    /// Areas reachable from the start (`reachable`: the planner's sectors, ``ProgressionRegions/reachableSectors``, else
    /// the map's layout, ``MapGeometry/reachableSectors()``) that no episode entered: the unvisited
    /// reachable sectors joined by their shared lines, each area of at least `minimumArea` square units (door tracks
    /// and single steps are not areas) one observation inside its largest sector; the `limit` largest areas.
    public static func unvisitedAreas(geometry: MapGeometry, visited: Set<Int>, reachable: Set<Int>? = nil, minimumArea: Double = 16_384,
                                      limit: Int = 10) -> [FindingObservation] {
        let unvisited = (reachable ?? Set(geometry.reachableSectors())).subtracting(visited)
        guard !unvisited.isEmpty else { return [] }
        var neighbours: [Int: [Int]] = [:]
        for line in geometry.map.linedefs {
            guard let front = geometry.map.sector(ofSide: line.frontSide), let back = geometry.map.sector(ofSide: line.backSide),
                  front != back, unvisited.contains(front), unvisited.contains(back) else { continue }
            neighbours[front, default: []].append(back)
            neighbours[back, default: []].append(front)
        }
        let areaOf = Dictionary(geometry.sectorPolygons.map { ($0.sector, $0.area) }, uniquingKeysWith: +)
        var seen = Set<Int>()
        var areas: [(sectors: [Int], area: Double)] = []
        for start in unvisited.sorted() where !seen.contains(start) {
            var group = [start]
            seen.insert(start)
            var index = 0
            while index < group.count {
                for next in neighbours[group[index]] ?? [] where seen.insert(next).inserted { group.append(next) }
                index += 1
            }
            let area = group.reduce(0) { $0 + (areaOf[$1] ?? 0) }
            if area >= minimumArea { areas.append((group, area)) }
        }
        let kind = PlayFindingKind.unvisitedArea
        return areas.sorted { $0.area > $1.area }.prefix(limit).compactMap { area in
            guard let largest = area.sectors.max(by: { (areaOf[$0] ?? 0) < (areaOf[$1] ?? 0) }),
                  let point = pointInside(sector: largest, geometry: geometry) else { return nil }
            let message = "No episode of the run entered this area (\(area.sectors.count) sector\(area.sectors.count == 1 ? "" : "s"), "
                + "about \(Int(area.area.rounded())) square units), which a player can reach from the start"
                + (reachable == nil ? " by the map's layout." : " by the planner's graph.")
            return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                      x: point.x, y: point.y, sector: largest)
        }
    }

    /// Doom's secret sector (special 9), Boom's generalized secret bit (128), or ZDoom's in Hexen format and UDMF (1024).
    static func isSecret(_ sector: Sector, format: MapFormat) -> Bool {
        switch format {
        case .doom: sector.special == 9 || (sector.special >= 32 && sector.special & 128 != 0)
        default: sector.special == 9 || sector.special & 1024 != 0
        }
    }

    /// A point in the sector: its outline's vertex average when that falls inside it, else the first point of a grid
    /// over its outline's box that does; nil for a sector without an outline.
    static func pointInside(sector: Int, geometry: MapGeometry) -> MapPoint? {
        let points = geometry.sectorPolygons.first { $0.sector == sector }?.loops.filter { !$0.isHole }.flatMap(\.points) ?? []
        guard !points.isEmpty else { return nil }
        let mean = MapPoint(x: points.map(\.x).reduce(0, +) / Double(points.count), y: points.map(\.y).reduce(0, +) / Double(points.count))
        if geometry.sector(at: mean) == sector { return mean }
        let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 0
        let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
        for i in 1..<16 {
            for j in 1..<16 {
                let point = MapPoint(x: minX + (maxX - minX) * Double(i) / 16, y: minY + (maxY - minY) * Double(j) / 16)
                if geometry.sector(at: point) == sector { return point }
            }
        }
        return mean
    }

    /// A visual defect the replay's scan saw (`agent/playtest_agent/replay_scan.py`): its kind as the detector names it
    /// (`hall_of_mirrors`, `flat_bleeding`, `missing_texture`), the detector's severity (`high`, else medium), where the
    /// player stood and the bearing it was seen at. It is placed on the first wall along that bearing, the line a
    /// designer opens; without one, `at` (the scan's estimate from the depth buffer) or the player's place.
    /// A visual finding is only as strong as the map agrees: through a line the map's checks flag (`suspectLines`: a
    /// missing or unknown texture, an unclosed sector, a side missing) it keeps its severity; through any other it is
    /// info, its message saying the checks find nothing there (in play a spectre's fuzz or a dying monster in the dark
    /// can look like a hall of mirrors).
    public static func visual(kind: String, severity: String, tic: Int, episode: Int, player: MapPoint, bearing: Double,
                              at estimate: MapPoint?, geometry: MapGeometry?, suspectLines: Set<Int> = []) -> FindingObservation? {
        let playKind: PlayFindingKind
        switch kind {
        case "hall_of_mirrors": playKind = .visualHallOfMirrors
        case "flat_bleeding": playKind = .visualFlatBleeding
        case "missing_texture": playKind = .visualMissingTexture
        default: return nil
        }
        let wall = geometry?.firstWall(from: player, bearing: bearing)
        let place = wall?.at ?? estimate ?? player
        let what = switch playKind {
        case .visualHallOfMirrors: "a hall of mirrors (stale pixels: a wall part with no texture)"
        case .visualFlatBleeding: "a floor or ceiling drawn where a lower or upper texture is missing"
        default: "a texture the engine could not draw"
        }
        let seen = String(format: "seen from (%.0f, %.0f) looking %.0f°", player.x, player.y, bearing)
        let confirmed = wall.map { suspectLines.contains($0.line) } ?? false
        let through = wall.map { confirmed ? ", through line \($0.line), which the map's checks also flag"
            : ", through line \($0.line); the map's checks find nothing wrong there, so it may be a monster or an effect the detector misread" }
        let message = "The engine showed \(what), \(seen)" + (through ?? "") + "."
        return FindingObservation(kind: playKind.rawValue, severity: confirmed && severity == "high" ? playKind.severity : .info, source: .play,
                                  message: message, x: place.x, y: place.y, line: wall?.line, episode: episode, tic: tic)
    }

    /// The lines whose static findings can show as a visual defect in play.
    public static func suspectLines(_ findings: [Finding]) -> Set<Int> {
        let drawing: Set<FindingKind> = [.missingTexture, .unknownTexture, .unclosedSector, .missingFrontSide,
                                         .oneSidedLineMarkedTwoSided, .twoSidedLineMarkedOneSided]
        return Set(findings.filter { drawing.contains($0.kind) }.flatMap { $0.ids.filter { $0.kind == .linedef }.map(\.index) })
    }

    /// Where the planner proves progression breaks, when its verdict is `blocked` and it names a place.
    public static func observation(plan: ProgressionPlan) -> FindingObservation? {
        guard plan.verdict == .blocked, let blocker = plan.blocker, let x = blocker.x, let y = blocker.y else { return nil }
        let kind = PlayFindingKind.progressionBlocked
        return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play,
                                  message: plan.reason,
                                  x: x, y: y, sector: blocker.sector, line: blocker.line)
    }
}
