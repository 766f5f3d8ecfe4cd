/// What a thing is, for counting and for the map picture.
public enum ThingCategory: String, Sendable, Codable, CaseIterable {
    case playerStart
    case deathmatchStart
    case monster
    case weapon
    case ammo
    case health
    case armor
    case key
    case powerup
    case teleportDestination
    case other
}

/// A known thing type: its category, collision radius and name.
public struct ThingKind: Sendable, Hashable {
    public let type: Int
    public let category: ThingCategory
    public let radius: Double
    public let name: String
    /// Solid things block movement; a solid thing inside a wall is stuck.
    public let isSolid: Bool
}

/// The Doom and Doom II editor numbers (the ones Freedoom and the VizDoom scenarios use).
public enum ThingCatalog {
    public static func kind(of type: Int) -> ThingKind? { table[type] }

    public static func category(of type: Int) -> ThingCategory { table[type]?.category ?? .other }

    /// The player number (1–4) of a player start type, else nil.
    public static func playerNumber(of type: Int) -> Int? { (1...4).contains(type) ? type : nil }

    /// Collision radius; 20 (the common item radius) for types the catalog does not know.
    public static func radius(of type: Int) -> Double { table[type]?.radius ?? 20 }

    private static let table: [Int: ThingKind] = {
        var entries: [ThingKind] = []
        func add(_ category: ThingCategory, _ radius: Double, solid: Bool, _ items: [(Int, String)]) {
            for (type, name) in items {
                entries.append(ThingKind(type: type, category: category, radius: radius, name: name, isSolid: solid))
            }
        }
        add(.playerStart, 16, solid: true, [(1, "Player 1 start"), (2, "Player 2 start"), (3, "Player 3 start"), (4, "Player 4 start")])
        add(.deathmatchStart, 16, solid: false, [(11, "Deathmatch start")])
        add(.teleportDestination, 16, solid: false, [(14, "Teleport destination")])
        let monsters: [(Int, String, Double)] = [
            (3004, "Zombieman", 20), (9, "Shotgun guy", 20), (65, "Heavy weapon dude", 20), (3001, "Imp", 20),
            (3002, "Demon", 30), (58, "Spectre", 30), (3006, "Lost soul", 16), (3005, "Cacodemon", 31),
            (69, "Hell knight", 24), (3003, "Baron of Hell", 24), (68, "Arachnotron", 64), (71, "Pain elemental", 31),
            (66, "Revenant", 20), (67, "Mancubus", 48), (64, "Arch-vile", 20), (16, "Cyberdemon", 40),
            (7, "Spider mastermind", 128), (84, "Wolfenstein SS", 20), (72, "Commander Keen", 16),
            (88, "Boss brain", 16), (89, "Boss shooter", 20),
        ]
        for (type, name, radius) in monsters {
            entries.append(ThingKind(type: type, category: .monster, radius: radius, name: name, isSolid: type != 89))
        }
        add(.weapon, 20, solid: false, [
            (2001, "Shotgun"), (82, "Super shotgun"), (2002, "Chaingun"), (2003, "Rocket launcher"),
            (2004, "Plasma gun"), (2006, "BFG9000"), (2005, "Chainsaw"),
        ])
        add(.ammo, 20, solid: false, [
            (2007, "Clip"), (2048, "Box of bullets"), (2008, "Shells"), (2049, "Box of shells"), (2010, "Rocket"),
            (2046, "Box of rockets"), (2047, "Cell"), (17, "Cell pack"), (8, "Backpack"),
        ])
        add(.health, 20, solid: false, [
            (2011, "Stimpack"), (2012, "Medikit"), (2014, "Health bonus"), (2013, "Soul sphere"), (83, "Megasphere"),
        ])
        add(.armor, 20, solid: false, [(2018, "Green armor"), (2019, "Blue armor"), (2015, "Armor bonus")])
        add(.key, 20, solid: false, [
            (5, "Blue keycard"), (6, "Yellow keycard"), (13, "Red keycard"), (40, "Blue skull key"),
            (39, "Yellow skull key"), (38, "Red skull key"),
        ])
        add(.powerup, 20, solid: false, [
            (2022, "Invulnerability"), (2023, "Berserk"), (2024, "Partial invisibility"), (2025, "Radiation suit"),
            (2026, "Computer map"), (2045, "Light amplification visor"),
        ])
        return Dictionary(entries.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
    }()
}
