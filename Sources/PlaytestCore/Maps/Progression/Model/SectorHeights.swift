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

    /// The floor heights a sector has: its floor (k = 0), then the heights it visits.
    @inline(__always)
    private func floor(_ sector: Int, _ k: Int) -> Double { k == 0 ? floors[sector] : visits[sector][k - 1] }

    /// Whether the player can step from sector `a` into sector `b`: a step up of at most 24, and 56 units of
    /// headroom through the opening and in `b`. Drops are always allowed.
    public func allows(from a: Int, to b: Int) -> Bool {
        if Self.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b]) { return true }
        let countA = visits[a].count, countB = visits[b].count
        guard countA > 0 || countB > 0 else { return false }
        for ka in 0...countA {
            for kb in 0...countB where Self.allows(floorA: floor(a, ka), ceilingA: ceilings[a], floorB: floor(b, kb), ceilingB: ceilings[b]) {
                return true
            }
        }
        return false
    }

    /// Whether the player's box, standing in `near`, may overlap the edge of `far` without entering it: `far` is at
    /// most a step higher and the opening over both fits the player.
    public func allowsTouch(near: Int, far: Int) -> Bool {
        let countNear = visits[near].count, countFar = visits[far].count
        for kn in 0...countNear {
            let fn = floor(near, kn)
            for kf in 0...countFar {
                let ff = floor(far, kf)
                if ff - fn <= Self.stepHeight && min(ceilings[near], ceilings[far]) - max(fn, ff) >= Self.playerHeight { return true }
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
        for kp in 0...visits[sector].count {
            for ki in 0...visits[itemSector].count where Self.canTouchItem(playerFloor: floor(sector, kp), itemFloor: floor(itemSector, ki)) {
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
