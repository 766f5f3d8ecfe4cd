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
    /// Per sector with visits: true when the player can bring the floor to those heights only from off it (every
    /// opener is a switch pressed from below): it may board the lift at them, but not step off it there (once on
    /// top it cannot lower the lift it stands on).
    public private(set) var boardOnly: [Bool]

    public init(map: DoomMap) {
        floors = map.sectors.map(\.floorHeight)
        ceilings = map.sectors.map(\.ceilingHeight)
        visits = Array(repeating: [], count: map.sectors.count)
        boardOnly = Array(repeating: false, count: map.sectors.count)
    }

    public var count: Int { floors.count }

    mutating func setFloor(_ sector: Int, _ height: Double) {
        floors[sector] = height
        visits[sector] = []
        boardOnly[sector] = false
    }

    mutating func setCeiling(_ sector: Int, _ height: Double) { ceilings[sector] = height }

    mutating func addVisit(_ sector: Int, _ height: Double, boardOnly: Bool = false) {
        if height != floors[sector] && !visits[sector].contains(height) {
            if visits[sector].isEmpty { self.boardOnly[sector] = boardOnly } else { self.boardOnly[sector] = self.boardOnly[sector] && boardOnly }
            visits[sector].append(height)
        }
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
    public func allows(from a: Int, to b: Int) -> Bool { step(from: a, to: b, arrivedLow: false).allowed }

    /// One step of a walk from sector `a` into sector `b`, at any of their floor heights (`allows`), and whether the
    /// player may arrive on `b` at a height it only visits (on a lift that is down). A lift that is lowered only from
    /// below (`boardOnly`) is boarded at its low heights from a floor at most a step above them (its foot), and left at
    /// them only when the same walk boarded it there (`arrivedLow`): from on top the player cannot lower it.
    @inline(__always)
    func step(from a: Int, to b: Int, arrivedLow: Bool, maxRise: Double = stepHeight) -> (allowed: Bool, low: Bool) {
        let countA = visits[a].count, countB = visits[b].count
        if countA == 0 && countB == 0 {
            return (Self.allows(floorA: floors[a], ceilingA: ceilings[a], floorB: floors[b], ceilingB: ceilings[b], maxRise: maxRise), false)
        }
        var allowed = false, low = false
        for ka in 0...countA {
            if ka > 0 && boardOnly[a] && !arrivedLow { break }
            let fa = floor(a, ka)
            for kb in 0...countB where !(kb > 0 && low) {
                let fb = floor(b, kb)
                if kb > 0 && boardOnly[b] && fa - fb > Self.stepHeight { continue }
                if Self.allows(floorA: fa, ceilingA: ceilings[a], floorB: fb, ceilingB: ceilings[b], maxRise: maxRise) {
                    allowed = true
                    if kb > 0 { low = true }
                }
            }
            if allowed && (low || countB == 0) { break }
        }
        return (allowed, low)
    }

    /// How far a step from `a` into `b` is from being allowed, in map units, at the best of their floor heights: the
    /// rise above 24 plus the headroom missing below 56 (0 when `allows` holds at some heights). Used only to tell
    /// whether a change brings a forbidden step closer to allowed; `allows` alone decides passage.
    func stepShortfall(from a: Int, to b: Int, maxRise: Double = stepHeight) -> Double {
        var best = Double.infinity
        for ka in 0...visits[a].count {
            let fa = floor(a, ka)
            for kb in 0...visits[b].count {
                let fb = floor(b, kb)
                let rise = max(0, fb - fa - maxRise)
                let opening = max(0, Self.playerHeight - (min(ceilings[a], ceilings[b]) - max(fa, fb)))
                let room = max(0, Self.playerHeight - (ceilings[b] - fb))
                best = min(best, rise + max(opening, room))
            }
        }
        return best
    }

    /// How much headroom the sector lacks for the player at the best of its floor heights (0 when `hasHeadroom`).
    func headroomShortfall(_ sector: Int) -> Double {
        var best = max(0, Self.playerHeight - (ceilings[sector] - floors[sector]))
        for visit in visits[sector] { best = min(best, max(0, Self.playerHeight - (ceilings[sector] - visit))) }
        return best
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
    /// `maxRise`: less than a step where the walk crosses a gap in the air (a hop falls while over it).
    public static func allows(floorA: Double, ceilingA: Double, floorB: Double, ceilingB: Double, maxRise: Double = stepHeight) -> Bool {
        floorB - floorA <= maxRise
            && min(ceilingA, ceilingB) - max(floorA, floorB) >= playerHeight
            && ceilingB - floorB >= playerHeight
    }
}
