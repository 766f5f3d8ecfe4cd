/// What a linedef special does, as far as the checks and the picture care.
public enum LineRole: String, Sendable, Codable {
    case exit
    case secretExit
    case door
    case teleport
    case other
    case none
}

/// Classifies linedef specials in Doom (and Boom) numbering and in Hexen/ZDoom numbering.
public enum LineSpecials {
    static let doomExits: Set<Int> = [11, 52, 197]
    static let doomSecretExits: Set<Int> = [51, 124, 198]
    static let doomDoors: Set<Int> = [
        1, 2, 3, 4, 16, 26, 27, 28, 29, 31, 32, 33, 34, 42, 46, 50, 61, 63, 75, 76, 86, 90, 99, 103, 105, 106, 107, 108,
        109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 133, 134, 135, 136, 137, 175, 196,
    ]
    static let doomTeleports: Set<Int> = [39, 97, 125, 126, 174, 195, 207, 208, 209, 210, 243, 244, 262, 263, 264, 265, 266, 267, 268, 269]
    static let hexenExits: Set<Int> = [74, 75, 243]
    static let hexenSecretExits: Set<Int> = [244]
    static let hexenDoors: Set<Int> = [10, 11, 12, 13, 14, 202, 249]
    static let hexenTeleports: Set<Int> = [70, 71, 76, 215]

    public static func role(of special: Int, hexenNumbering: Bool) -> LineRole {
        guard special != 0 else { return .none }
        if hexenNumbering {
            if hexenExits.contains(special) { return .exit }
            if hexenSecretExits.contains(special) { return .secretExit }
            if hexenDoors.contains(special) { return .door }
            if hexenTeleports.contains(special) { return .teleport }
            return .other
        }
        if doomExits.contains(special) { return .exit }
        if doomSecretExits.contains(special) { return .secretExit }
        if doomDoors.contains(special) { return .door }
        if doomTeleports.contains(special) { return .teleport }
        return .other
    }

    public static func role(of line: Linedef, in map: DoomMap) -> LineRole {
        role(of: line.special, hexenNumbering: map.usesHexenSpecials)
    }

    /// Sector special 11 in Doom numbering: damage, then end the level when the player's health is low.
    public static func sectorEndsLevel(_ sector: Sector, hexenNumbering: Bool) -> Bool {
        !hexenNumbering && sector.special == 11
    }
}
