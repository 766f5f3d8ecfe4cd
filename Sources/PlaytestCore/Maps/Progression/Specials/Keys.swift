/// One key item: a card or a skull of a colour.
public enum GameKey: Sendable, Hashable, Codable {
    case card(KeyColor)
    case skull(KeyColor)

    /// The key a thing type gives (Doom editor numbers 5, 6, 13 cards; 38, 39, 40 skulls), nil otherwise.
    public init?(thingType: Int) {
        switch thingType {
        case 5: self = .card(.blue)
        case 6: self = .card(.yellow)
        case 13: self = .card(.red)
        case 40: self = .skull(.blue)
        case 39: self = .skull(.yellow)
        case 38: self = .skull(.red)
        default: return nil
        }
    }

    /// The key an item name of the navigation contract names (`blue_card`, `red_skull`), nil otherwise.
    public init?(name: String) {
        guard let key = KeySet.all.first(where: { $0.name == name }) else { return nil }
        self = key
    }

    public var color: KeyColor {
        switch self {
        case .card(let color), .skull(let color): return color
        }
    }

    /// `blue_card`, `red_skull`: the item name of the navigation contract.
    public var name: String {
        switch self {
        case .card(let color): return color.rawValue + "_card"
        case .skull(let color): return color.rawValue + "_skull"
        }
    }

    /// "the blue keycard", "the red skull key".
    public var phrase: String {
        switch self {
        case .card(let color): return "the \(color.rawValue) keycard"
        case .skull(let color): return "the \(color.rawValue) skull key"
        }
    }

    fileprivate var bit: UInt8 {
        switch self {
        case .card(let color): return 1 << UInt8(KeyColor.allCases.firstIndex(of: color) ?? 0)
        case .skull(let color): return 8 << UInt8(KeyColor.allCases.firstIndex(of: color) ?? 0)
        }
    }
}

/// The keys a player holds: six bits, cheap to copy and hash in the planner's search.
public struct KeySet: Sendable, Hashable {
    public private(set) var bits: UInt8 = 0

    public init() {}

    /// The keys of stored bits (``bits``); bits past the six keys are dropped.
    public init(bits: UInt8) { self.bits = bits & 0x3F }

    public var isEmpty: Bool { bits == 0 }
    public func contains(_ key: GameKey) -> Bool { bits & key.bit != 0 }
    public mutating func insert(_ key: GameKey) { bits |= key.bit }

    public func inserting(_ key: GameKey) -> KeySet {
        var copy = self
        copy.insert(key)
        return copy
    }

    /// The keys named (`blue_card`, `red_skull`); unknown names are left out.
    public init(names: some Sequence<String>) {
        for name in names { if let key = GameKey(name: name) { insert(key) } }
    }

    /// Whether a card or a skull of the colour is held.
    public func holds(_ color: KeyColor) -> Bool { contains(.card(color)) || contains(.skull(color)) }

    public static let all: [GameKey] = KeyColor.allCases.map(GameKey.card) + KeyColor.allCases.map(GameKey.skull)

    public var keys: [GameKey] { Self.all.filter(contains) }
}

/// Which things appear in a single-player game at a skill (Doom's thing flags; UDMF's are mapped onto them).
public enum SkillFilter {
    /// Whether a thing with these flags is spawned at skill 1–5 in single player. Doom format marks
    /// multiplayer-only things with 0x0010; Hexen format marks single-player things with 0x0100.
    public static func spawns(flags: Int, skill: Int, format: MapFormat) -> Bool {
        if format == .hexen ? flags & 0x0100 == 0 : flags & 0x0010 != 0 { return false }
        let bit: Int
        switch skill {
        case ...2: bit = 0x0001
        case 3: bit = 0x0002
        default: bit = 0x0004
        }
        return flags & bit != 0
    }
}
