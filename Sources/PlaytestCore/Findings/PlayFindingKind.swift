/// The defects a play-test shows that no static check can: where episodes get stuck, die, leave the map, and where
/// the planner proves progression breaks.
public enum PlayFindingKind: String, Sendable, Codable, CaseIterable {
    /// The player stayed within a small radius for a long time (``StuckDetector``).
    case stuck
    /// The player's position was in no sector: a hole in the map.
    case outOfBounds = "out_of_bounds"
    /// Players die here; every death is a sighting, so the count says how hot the spot is.
    case deathHotspot = "death_hotspot"
    /// The planner's `blocked` verdict: the exit cannot be reached, and this is where progression breaks.
    case progressionBlocked = "progression_blocked"
    /// A secret sector no episode of the run entered (found by nobody yet, or too well hidden).
    case secretMissed = "secret_missed"
    /// An area the map's layout lets a player walk to that no episode of the run entered: play-testing did not cover it.
    case unvisitedArea = "unvisited_area"
    /// The player got where no way leads to an exit, even with every door and lift open and every key held, and was
    /// alive there: a pit or a room with no way out (``ProgressionRegions``).
    case softlock
    /// The player stood, without a key, where every way from the start passes a lock of that key's colour: the map lets
    /// a player past the lock another way (EA SEED's "exploit").
    case sequenceBreak = "sequence_break"
    /// A weapon, key, armour, power-up, sphere or backpack a player can reach from the start that no episode picked up.
    case itemMissed = "item_missed"
    /// A monster that never moved and was never on screen in any episode of a run, where no player can reach it: a
    /// monster closet that never opens, a monster sealed in.
    case idleMonster = "idle_monster"
    /// A door or switch the navigator pressed from its front, in reach and with the keys, that moved nothing.
    case unopenedLine = "unopened_line"
    /// What the engine showed in play (docs/visual-defects.md): stale pixels where a wall part is missing, a floor or
    /// ceiling drawn through a missing lower or upper texture, a texture the engine could not find.
    case visualHallOfMirrors = "visual_hall_of_mirrors"
    case visualFlatBleeding = "visual_flat_bleeding"
    case visualMissingTexture = "visual_missing_texture"

    public var severity: FindingSeverity {
        switch self {
        case .outOfBounds, .progressionBlocked: .error
        case .stuck, .softlock, .sequenceBreak, .idleMonster, .unopenedLine: .warning
        case .deathHotspot, .secretMissed, .unvisitedArea, .itemMissed: .info
        case .visualHallOfMirrors, .visualFlatBleeding, .visualMissingTexture: .warning
        }
    }
}
