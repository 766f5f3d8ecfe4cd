/// Monsters that never stirred (docs/findings.md, `idle_monster`): the evidence scan names, per episode, the monsters
/// that never moved from where they stood and were never on the player's screen; one that stayed so in every episode
/// scanned and stands where no player can reach is a monster closet that never opens, or a monster sealed in.
extension PlayFindings {
    /// A monster the scan saw standing still: its VizDoom class name (`DoomImp`) and where it stood.
    public struct StillMonster: Sendable, Hashable {
        public var name: String
        public var position: MapPoint

        public init(name: String, position: MapPoint) {
            self.name = name
            self.position = position
        }
    }

    /// Monsters two sightings within this many units of each other are the same monster.
    static let sameMonster = 8.0

    /// One observation per monster still in every episode's list (`episodes`, one list per episode scanned) that
    /// `reachable` says no player can get to (its place and sector, nil outside every sector), named after the map's
    /// thing there when there is one.
    public static func idleMonsters(episodes: [[StillMonster]], geometry: MapGeometry, reachable: (MapPoint, Int?) -> Bool) -> [FindingObservation] {
        guard let first = episodes.first else { return [] }
        let kind = PlayFindingKind.idleMonster
        let count = episodes.count
        return first.filter { monster in
            episodes.dropFirst().allSatisfy { list in
                list.contains { $0.name == monster.name && $0.position.distance(to: monster.position) <= sameMonster }
            }
        }.compactMap { monster in
            let sector = geometry.sector(at: monster.position)
            guard !reachable(monster.position, sector) else { return nil }
            let thing = geometry.map.things.indices.first { index in
                let candidate = geometry.map.things[index]
                return ThingCatalog.category(of: candidate.type) == .monster && candidate.position.distance(to: monster.position) <= 16
            }
            let name = thing.flatMap { ThingCatalog.kind(of: geometry.map.things[$0].type)?.name.lowercased() } ?? monster.name
            let which = thing.map { " (thing \($0))" } ?? ""
            let episodes = count == 1 ? "the run's one episode" : "any of the run's \(count) episodes"
            let message = "The \(name) here\(which) never moved and was never on screen in \(episodes), and no way leads a player to it: "
                + "a monster closet that never opens, or a monster sealed in (a kill nobody can make)."
            return FindingObservation(kind: kind.rawValue, severity: kind.severity, source: .play, message: message,
                                      x: monster.position.x, y: monster.position.y, sector: sector)
        }
    }
}
