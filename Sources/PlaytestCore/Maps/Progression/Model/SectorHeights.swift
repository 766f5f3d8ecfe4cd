/// The floor and ceiling of every sector as the planner models them, and the passability rule of
/// docs/navigation.md. A lift's floor has extra heights it visits: the player may board it at one and
/// leave it at another.
public struct SectorHeights: Sendable, Hashable {
    public static let stepHeight = 24.0
    public static let playerHeight = 56.0

    public private(set) var floors: [Double]
    public private(set) var ceilings: [Double]
    /// Other floor heights a moving floor (a lift) visits, per sector; empty for most.
    public private(set) var visits: [[Double]]

    public init(map: DoomMap) {
        floors = map.sectors.map(\.floorHeight)
        ceilings = map.sectors.map(\.ceilingHeight)
        visits = Array(repeating: [], count: map.sectors.count)
    }

    public var count: Int { floors.count }

    mutating func setFloor(_ sector: Int, _ height: Double) {
        floors[sector] = height
        visits[sector] = []
    }

    mutating func setCeiling(_ sector: Int, _ height: Double) { ceilings[sector] = height }

    mutating func addVisit(_ sector: Int, _ height: Double) {
        if height != floors[sector] && !visits[sector].contains(height) { visits[sector].append(height) }
    }

    /// The room a player has standing in the sector at any of its floor heights.
    func hasHeadroom(_ sector: Int) -> Bool {
        if ceilings[sector] - floors[sector] >= Self.playerHeight { return true }
        return visits[sector].contains { ceilings[sector] - $0 >= Self.playerHeight }
    }

    /// Whether the player can step from sector `a` into sector `b`: a step up of at most 24, and 56 units of
    /// headroom through the opening and in `b`. Drops are always allowed.
    public func allows(from a: Int, to b: Int) -> Bool {
        if Self.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b]) { return true }
        guard !visits[a].isEmpty || !visits[b].isEmpty else { return false }
        for fa in [floors[a]] + visits[a] {
            for fb in [floors[b]] + visits[b]
            where Self.allows(floorA: fa, ceilingA: ceilings[a], floorB: fb, ceilingB: ceilings[b]) {
                return true
            }
        }
        return false
    }

    /// Whether the player's box, standing in `near`, may overlap the edge of `far` without entering it: `far` is at
    /// most a step higher and the opening over both fits the player.
    public func allowsTouch(near: Int, far: Int) -> Bool {
        for fn in [floors[near]] + visits[near] {
            for ff in [floors[far]] + visits[far]
            where ff - fn <= Self.stepHeight && min(ceilings[near], ceilings[far]) - max(fn, ff) >= Self.playerHeight {
                return true
            }
        }
        return false
    }

    /// Whether a player standing on `playerFloor` touches an item lying on `itemFloor` (Doom's P_TouchSpecialThing:
    /// the item at most the player's height above its feet and at most 8 below).
    public static func canTouchItem(playerFloor: Double, itemFloor: Double) -> Bool {
        itemFloor - playerFloor <= playerHeight && itemFloor - playerFloor >= -8
    }

    /// Whether the player can touch an item in `itemSector` while standing in `sector`, at any floor heights either has.
    func canTouchItem(from sector: Int, itemSector: Int) -> Bool {
        for player in [floors[sector]] + visits[sector] {
            for item in [floors[itemSector]] + visits[itemSector] where Self.canTouchItem(playerFloor: player, itemFloor: item) {
                return true
            }
        }
        return false
    }

    @inline(__always)
    public static func allows(floorA: Double, ceilingA: Double, floorB: Double, ceilingB: Double) -> Bool {
        floorB - floorA <= stepHeight
            && min(ceilingA, ceilingB) - max(floorA, floorB) >= playerHeight
            && ceilingB - floorB >= playerHeight
    }
}
