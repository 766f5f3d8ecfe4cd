/// Boom's generalized linedef types (0x2F80–0x7FFF): bit fields for the trigger, the sector's motion and its lock.
enum BoomGeneralizedSpecials {
    static let range = 0x2F80...0x7FFF

    static func action(special: Int, tag: Int) -> LineAction? {
        guard range.contains(special) else { return nil }
        let trigger = special & 0x7
        let activation: Activation = trigger < 2 ? .walk : (trigger < 4 || trigger >= 6 ? .use : .shoot)
        let repeatable = trigger & 1 == 1
        let manual = trigger >= 6
        let target: SpecialTarget = manual ? .backSector : .tag(tag)
        func make(_ effect: SpecialEffect, _ name: String, lock: Lock = .none) -> LineAction {
            LineAction(special: special, activation: activation, repeatable: repeatable, target: target, effect: effect,
                       lock: lock, name: "Generalized " + name)
        }
        switch special {
        case 0x2F80..<0x3000:
            return make(.crusher, "crusher")
        case 0x3000..<0x3400:
            let step = [4.0, 8, 16, 24][(special >> 6) & 3]
            let up = (special >> 8) & 1 == 1
            return make(.stairs(step: up ? step : -step), "stairs")
        case 0x3400..<0x3800:
            switch (special >> 8) & 3 {
            case 0: return make(.lift(visits: [.lowestNeighbourFloor]), "lift")
            case 1: return make(.lift(visits: [.nextLowerNeighbourFloor]), "lift")
            case 2: return make(.lift(visits: [.lowestNeighbourCeiling]), "lift")
            default: return make(.lift(visits: [.lowestNeighbourFloor, .highestNeighbourFloor]), "perpetual lift")
            }
        case 0x3800..<0x3C00:
            let stays = (special >> 5) & 1 == 1
            let sameColor = (special >> 9) & 1 == 1
            let lock: Lock
            switch (special >> 6) & 7 {
            case 0: lock = .any
            case 1: lock = sameColor ? .color(.red) : .card(.red)
            case 2: lock = sameColor ? .color(.blue) : .card(.blue)
            case 3: lock = sameColor ? .color(.yellow) : .card(.yellow)
            case 4: lock = sameColor ? .color(.red) : .skull(.red)
            case 5: lock = sameColor ? .color(.blue) : .skull(.blue)
            case 6: lock = sameColor ? .color(.yellow) : .skull(.yellow)
            default: lock = sameColor ? .allColors : .allSix
            }
            return make(.door(stays ? .open : .raise), "locked door", lock: lock)
        case 0x3C00..<0x4000:
            let motion: [DoorMotion] = [.raise, .open, .closeWaitOpen, .close]
            return make(.door(motion[(special >> 5) & 3]), "door")
        case 0x4000..<0x6000:
            let up = (special >> 6) & 1 == 1
            let heights: [Height] = [.highestNeighbourCeiling, .lowestNeighbourCeiling,
                                     up ? .nextHigherNeighbourCeiling : .nextLowerNeighbourCeiling,
                                     .highestNeighbourFloor, .ownFloor, .by(up ? 64 : -64),
                                     .by(up ? 24 : -24), .by(up ? 32 : -32)]
            let crush = (special >> 12) & 1 == 1
            return make(crush ? .crusher : .ceiling(heights[(special >> 7) & 7]), "ceiling")
        default:
            let up = (special >> 6) & 1 == 1
            let heights: [Height] = [.highestNeighbourFloor, .lowestNeighbourFloor,
                                     up ? .nextHigherNeighbourFloor : .nextLowerNeighbourFloor,
                                     .lowestNeighbourCeiling, .ownCeiling, .shortestLowerTexture,
                                     .by(up ? 24 : -24), .by(up ? 32 : -32)]
            return make(.floor(heights[(special >> 7) & 7]), "floor")
        }
    }
}
