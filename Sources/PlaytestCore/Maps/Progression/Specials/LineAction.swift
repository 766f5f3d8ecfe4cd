/// What one linedef special does, in terms the progression planner can reason about: how it is set off,
/// which sectors it moves, how they move, and which key it needs.
public struct LineAction: Sendable, Hashable {
    /// The raw special number (Doom, Boom or Hexen/ZDoom numbering).
    public var special: Int
    public var activation: Activation
    public var repeatable: Bool
    /// False for monster-only specials (monster teleporters): a player never sets them off.
    public var byPlayer: Bool
    public var target: SpecialTarget
    public var effect: SpecialEffect
    public var lock: Lock
    /// A short name for notes ("Door open wait close", "Lift", "Exit_Normal").
    public var name: String

    public init(special: Int, activation: Activation, repeatable: Bool, byPlayer: Bool = true, target: SpecialTarget,
                effect: SpecialEffect, lock: Lock = .none, name: String) {
        self.special = special
        self.activation = activation
        self.repeatable = repeatable
        self.byPlayer = byPlayer
        self.target = target
        self.effect = effect
        self.lock = lock
        self.name = name
    }

    /// "S1", "WR", "DR": the trigger in the notation level designers know.
    public var triggerCode: String {
        let letter: String
        switch activation {
        case .use: letter = target == .backSector ? "D" : "S"
        case .walk: letter = "W"
        case .shoot: letter = "G"
        case .push: letter = "P"
        case .none: return "-"
        }
        return letter + (repeatable ? "R" : "1")
    }
}

/// How a special is set off.
public enum Activation: String, Sendable, Codable, Hashable {
    /// Pressing USE facing the line's front side.
    case use
    /// Walking across the line (teleporters: from the front side only).
    case walk
    /// Hitting the line with a hitscan weapon.
    case shoot
    /// Bumping into the line (Hexen's SPAC_Push).
    case push
    /// Never activated: a property of the line or its tagged sectors (scrollers, transfers).
    case none
}

/// Which sectors a special moves.
public enum SpecialTarget: Sendable, Hashable {
    /// Every sector with this tag.
    case tag(Int)
    /// The sector on the line's back side (Doom's manual doors, Hexen specials with tag 0).
    case backSector
    /// No sector (exits, teleporters, scripts).
    case none
}

/// A colour of key. Doom treats a card and a skull of one colour alike for its own doors.
public enum KeyColor: String, Sendable, Codable, Hashable, CaseIterable {
    case red, blue, yellow
}

/// The key a locked special needs.
public enum Lock: Sendable, Hashable {
    case none
    /// A card or a skull of this colour.
    case color(KeyColor)
    case card(KeyColor)
    case skull(KeyColor)
    /// Any one key.
    case any
    /// All six keys (Boom's "all keys" with skulls distinct).
    case allSix
    /// One key of each colour, card or skull.
    case allColors
    /// A lock number the planner does not know (a custom LOCKDEFS entry).
    case unknown(Int)

    /// The name the navigation contract uses (`red`, `red_card`, `any`, `all`), nil for no lock.
    public var name: String? {
        switch self {
        case .none: return nil
        case .color(let color): return color.rawValue
        case .card(let color): return color.rawValue + "_card"
        case .skull(let color): return color.rawValue + "_skull"
        case .any: return "any"
        case .allSix, .allColors: return "all"
        case .unknown(let number): return "lock_\(number)"
        }
    }

    /// Whether these keys open the lock.
    public func isOpened(by keys: KeySet) -> Bool {
        switch self {
        case .none: return true
        case .color(let color): return keys.contains(.card(color)) || keys.contains(.skull(color))
        case .card(let color): return keys.contains(.card(color))
        case .skull(let color): return keys.contains(.skull(color))
        case .any: return !keys.isEmpty
        case .allSix: return KeyColor.allCases.allSatisfy { keys.contains(.card($0)) && keys.contains(.skull($0)) }
        case .allColors: return KeyColor.allCases.allSatisfy { keys.contains(.card($0)) || keys.contains(.skull($0)) }
        case .unknown: return false
        }
    }

    /// A phrase for a note: "the red key", "the blue skull key", "any key".
    public var phrase: String {
        switch self {
        case .none: return "no key"
        case .color(let color): return "the \(color.rawValue) key"
        case .card(let color): return "the \(color.rawValue) keycard"
        case .skull(let color): return "the \(color.rawValue) skull key"
        case .any: return "any key"
        case .allSix: return "all six keys"
        case .allColors: return "a key of every colour"
        case .unknown(let number): return "lock \(number) (not modelled)"
        }
    }
}
