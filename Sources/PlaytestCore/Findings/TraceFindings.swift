/// The play findings that judge where the player was against what the map allows (docs/findings.md): softlocks and
/// sequence breaks against the planner's graph (``ProgressionRegions``), items no episode came to.
extension PlayFindings {
    /// One observation per episode that ended, alive or not, without an exit in a place from which no way leads to an
    /// exit (even with every door and lift open and every key held), having got there alive: where it got there, the
    /// tic it did, and how long it was there. A stay shorter than a second that the episode's end cut short is not
    /// judged (the player's centre may hang over a pit while its box still stands on the ledge).
    public static func softlocks(traces: [EpisodeTrace], regions: ProgressionRegions, geometry: MapGeometry) -> [FindingObservation] {
        guard regions.exitReachableFromStart else { return [] }
        let kind = PlayFindingKind.softlock
        return traces.compactMap { trace in
            guard !trace.reachedExit else { return nil }
            // Per sample: whether it stands where no way leads to an exit (nil: in no sector, or one without nodes).
            let trapped = trace.samples.map { sample -> Bool? in
                guard let sector = geometry.sector(at: sample.position), let node = regions.node(at: sample.position, sector: sector) else { return nil }
                return !regions.canReachExit(from: node)
            }
            guard let lastFree = trapped.lastIndex(where: { $0 == false }) ?? (trapped.contains(true) ? -1 : nil),
                  let entry = trapped.indices.first(where: { $0 > lastFree && trapped[$0] == true }),
                  trace.samples[entry].alive, let last = trace.samples.last else { return nil }
            let sample = trace.samples[entry]
            let died = trace.samples[entry...].contains { !$0.alive }
            let seconds = Double(last.tic - sample.tic) / AgentProtocol.ticsPerSecond
            guard died || seconds >= 1 else { return nil }
            let sector = geometry.sector(at: sample.position)
            let from = lastFree >= 0 ? String(format: ", coming from (%.0f, %.0f)", trace.samples[lastFree].position.x, trace.samples[lastFree].position.y) : ""
            let then = died ? String(format: "died there %.0f s later", seconds) : String(format: "was still there, alive, when the episode ended %.0f s later", seconds)
            let message = "The player got where no way leads to the exit, even with every door and lift open and every key held"
                + "\(from), and \(then): a softlock (a pit or a room with no way out)."
            return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                      x: sample.position.x, y: sample.position.y, sector: sector, episode: trace.episode, tic: sample.tic)
        }
    }

    /// One observation per episode and key colour: the first place the player stood without a key of that colour
    /// where every way from the start passes a lock of that colour (with every other door and lift open). The key
    /// must not turn up among the keys held within two seconds (the agent notices a key it picked up a little late).
    /// Only samples that carry the keys held are judged.
    public static func sequenceBreaks(traces: [EpisodeTrace], regions: ProgressionRegions, geometry: MapGeometry) -> [FindingObservation] {
        guard regions.exitReachableFromStart else { return [] }
        let kind = PlayFindingKind.sequenceBreak
        let grace = 2 * Int(AgentProtocol.ticsPerSecond)
        var out: [FindingObservation] = []
        for trace in traces {
            var reported = Set<KeyColor>()
            for (index, sample) in trace.samples.enumerated() {
                guard sample.alive, let keys = sample.keys, let sector = geometry.sector(at: sample.position),
                      let node = regions.node(at: sample.position, sector: sector) else { continue }
                for color in regions.colorsNeeded(at: node) where !keys.holds(color) && !reported.contains(color) {
                    let soon = trace.samples[index...].prefix { $0.tic <= sample.tic + grace }.contains { $0.keys?.holds(color) == true }
                    guard !soon else { continue }
                    reported.insert(color)
                    let message = "The player reached this place (sector \(sector)) without the \(color.rawValue) key, though every way here from "
                        + "the start passes a \(color.rawValue) lock: a sequence break (the map lets a player past that lock another way)."
                    out.append(FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                                  x: sample.position.x, y: sample.position.y, sector: sector, episode: trace.episode, tic: sample.tic))
                }
            }
        }
        return out
    }

    /// The items worth a finding when missed: weapons, keys, power-ups, green and blue armour, soul spheres,
    /// megaspheres and backpacks (not bonuses, ammunition or health: too many to list one by one).
    static func isListedItem(_ type: Int) -> Bool {
        switch ThingCatalog.category(of: type) {
        case .weapon, .key, .powerup: true
        default: [2018, 2019, 2013, 83, 8].contains(type)
        }
    }

    /// One observation per weapon, key, armour and power-up present at the skill that no episode's player touched,
    /// among those a player can reach from the start (`reachable`: in a sector the map's layout or the planner lets a
    /// player get to); the `limit` first in the map's thing order. A touch is Doom's: the player's box (radius 16)
    /// overlapping the item's, along the path between samples (``isListedItem`` says which items).
    public static func itemsMissed(traces: [EpisodeTrace], geometry: MapGeometry, skill: Int, reachable: (MapPoint, Int) -> Bool,
                                   limit: Int = 20) -> [FindingObservation] {
        let items = geometry.map.things.indices.filter { index in
            let thing = geometry.map.things[index]
            guard isListedItem(thing.type),
                  SkillFilter.spawns(flags: thing.flags, skill: skill, format: geometry.map.format),
                  let sector = geometry.sector(at: thing.position) else { return false }
            return reachable(thing.position, sector)
        }
        guard !items.isEmpty else { return [] }
        var touched = Set<Int>()
        for trace in traces {
            for (a, b) in zip(trace.samples, trace.samples.dropFirst()) {
                let length = ((b.position.x - a.position.x) * (b.position.x - a.position.x) + (b.position.y - a.position.y) * (b.position.y - a.position.y)).squareRoot()
                let parts = max(1, Int((length / 16).rounded(.up)))
                for index in items where !touched.contains(index) {
                    let thing = geometry.map.things[index]
                    let reach = ThingCatalog.radius(of: thing.type) + 16
                    for part in 0...parts {
                        let t = Double(part) / Double(parts)
                        let x = a.position.x + (b.position.x - a.position.x) * t, y = a.position.y + (b.position.y - a.position.y) * t
                        if abs(x - thing.x) < reach && abs(y - thing.y) < reach {
                            touched.insert(index)
                            break
                        }
                    }
                }
            }
        }
        let kind = PlayFindingKind.itemMissed
        return items.filter { !touched.contains($0) }.prefix(limit).map { index in
            let thing = geometry.map.things[index]
            let name = ThingCatalog.kind(of: thing.type)?.name ?? "item \(thing.type)"
            let message = "No episode of the run picked up the \(name.lowercased()) here (thing \(index)), which a player can reach from the start."
            return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                      x: thing.x, y: thing.y, sector: geometry.sector(at: thing.position))
        }
    }
}
