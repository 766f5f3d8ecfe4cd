/// Hexen/ZDoom-numbered specials (Hexen format and UDMF outside the doom namespaces), as `LineAction`s.
///
/// The activation comes from the line's flags (Hexen's SPAC bits 10–12 and the repeat bit 0x0200; the UDMF
/// reader maps `playeruse`, `playercross`, `impact`, `playerpush` and `repeatspecial` onto them). A mover with
/// tag 0 moves the sector behind the line, as ZDoom does.
enum HexenSpecials {
    static let repeatFlag = 0x0200
    static let activationShift = 10

    static func action(special: Int, args: [Int], flags: Int) -> LineAction? {
        guard special != 0 else { return nil }
        let a = args + Array(repeating: 0, count: max(0, 5 - args.count))
        let (effect, name, lock) = describe(special: special, args: a)
        let spac = (flags >> activationShift) & 7
        let activation: Activation
        switch spac {
        case 0, 2, 5, 7: activation = .walk
        case 1, 6: activation = .use
        case 3: activation = .shoot
        default: activation = .push
        }
        let target: SpecialTarget
        switch effect {
        case .teleport, .exit, .cosmetic, .script, .unknown: target = .none
        default: target = a[0] == 0 ? .backSector : .tag(a[0])
        }
        return LineAction(special: special, activation: activation, repeatable: flags & repeatFlag != 0,
                          byPlayer: spac != 2 && spac != 5, target: target, effect: effect, lock: lock, name: name)
    }

    /// ZDoom's lock numbers (LOCKDEFS for Doom): 1–6 one key, 100 any, 101 all six, 129–134 a colour, 229 all colours.
    static func lock(_ number: Int) -> Lock {
        switch number {
        case 0: return .none
        case 1: return .card(.red)
        case 2: return .card(.blue)
        case 3: return .card(.yellow)
        case 4: return .skull(.red)
        case 5: return .skull(.blue)
        case 6: return .skull(.yellow)
        case 100: return .any
        case 101: return .allSix
        case 129, 132: return .color(.red)
        case 130, 133: return .color(.blue)
        case 131, 134: return .color(.yellow)
        case 229: return .allColors
        default: return .unknown(number)
        }
    }

    private static func describe(special: Int, args a: [Int]) -> (SpecialEffect, String, Lock) {
        let eight = Double(a[2]) * 8, value = Double(a[2])
        switch special {
        case 10: return (.door(.close), "Door_Close", .none)
        case 11: return (.door(.open), "Door_Open", .none)
        case 12, 105: return (.door(.raise), "Door_Raise", .none)
        case 106: return (.door(.close), "Door_WaitClose", .none)
        case 13: return (.door(.raise), "Door_LockedRaise", lock(a[3]))
        case 14: return (.door(.raise), "Door_Animated", lock(a[3]))
        case 249: return (.door(.closeWaitOpen), "Door_CloseWaitOpen", .none)
        case 202:
            let motion: [DoorMotion] = [.raise, .open, .closeWaitOpen, .close]
            return (.door(motion[a[2] & 3]), "Generic_Door", lock(a[4]))
        case 20: return (.floor(.by(-value)), "Floor_LowerByValue", .none)
        case 21: return (.floor(.lowestNeighbourFloor), "Floor_LowerToLowest", .none)
        case 22: return (.floor(.nextLowerNeighbourFloor), "Floor_LowerToNearest", .none)
        case 23: return (.floor(.by(value)), "Floor_RaiseByValue", .none)
        case 24: return (.floor(.highestNeighbourFloor), "Floor_RaiseToHighest", .none)
        case 25: return (.floor(.nextHigherNeighbourFloor), "Floor_RaiseToNearest", .none)
        case 28, 99: return (.floor(.lowestNeighbourCeilingMinus8), "Floor_RaiseAndCrush", .none)
        case 35: return (.floor(.by(eight)), "Floor_RaiseByValueTimes8", .none)
        case 36: return (.floor(.by(-eight)), "Floor_LowerByValueTimes8", .none)
        case 37: return (.floor(.absolute(a[3] != 0 ? -value : value)), "Floor_MoveToValue", .none)
        case 68: return (.floor(.absolute(a[3] != 0 ? -eight : eight)), "Floor_MoveToValueTimes8", .none)
        case 66: return (.floor(.by(-eight)), "Floor_LowerInstant", .none)
        case 67: return (.floor(.by(eight)), "Floor_RaiseInstant", .none)
        case 238: return (.floor(.lowestNeighbourCeiling), "Floor_RaiseToLowestCeiling", .none)
        case 239: return (.floor(.by(value)), "Floor_RaiseByValueTxTy", .none)
        case 240: return (.floor(.shortestLowerTexture), "Floor_RaiseByTexture", .none)
        case 241: return (.floor(.lowestNeighbourFloor), "Floor_LowerToLowestTxTy", .none)
        case 242: return (.floor(.highestNeighbourFloor), "Floor_LowerToHighest", .none)
        case 250: return (.donut, "Floor_Donut", .none)
        case 251: return (.floor(.lowestNeighbourFloor), "FloorAndCeiling_LowerRaise", .none)
        case 200:
            let up = a[4] & 8 != 0
            let targets: [Height] = [.by(up ? value : -value), .highestNeighbourFloor, .lowestNeighbourFloor,
                                     up ? .nextHigherNeighbourFloor : .nextLowerNeighbourFloor, .lowestNeighbourCeiling,
                                     .ownCeiling, .shortestLowerTexture]
            return (a[3] < targets.count ? .floor(targets[a[3]]) : .unknown, "Generic_Floor", .none)
        case 95: return (.elevator(.by(-value)), "FloorAndCeiling_LowerByValue", .none)
        case 96: return (.elevator(.by(value)), "FloorAndCeiling_RaiseByValue", .none)
        case 245: return (.elevator(.nextHigherNeighbourFloor), "Elevator_RaiseToNearest", .none)
        case 247: return (.elevator(.nextLowerNeighbourFloor), "Elevator_LowerToNearest", .none)
        case 40: return (.ceiling(.by(-value)), "Ceiling_LowerByValue", .none)
        case 41: return (.ceiling(.by(value)), "Ceiling_RaiseByValue", .none)
        case 43: return (.ceiling(.ownFloorPlus8), "Ceiling_LowerAndCrush", .none)
        case 47: return (.ceiling(.absolute(a[3] != 0 ? -value : value)), "Ceiling_MoveToValue", .none)
        case 69: return (.ceiling(.absolute(a[3] != 0 ? -eight : eight)), "Ceiling_MoveToValueTimes8", .none)
        case 192: return (.ceiling(.highestNeighbourFloor), "Ceiling_LowerToHighestFloor", .none)
        case 193: return (.ceiling(.by(-eight)), "Ceiling_LowerInstant", .none)
        case 194: return (.ceiling(.by(eight)), "Ceiling_RaiseInstant", .none)
        case 198: return (.ceiling(.by(eight)), "Ceiling_RaiseByValueTimes8", .none)
        case 199: return (.ceiling(.by(-eight)), "Ceiling_LowerByValueTimes8", .none)
        case 252: return (.ceiling(.nextHigherNeighbourCeiling), "Ceiling_RaiseToNearest", .none)
        case 253: return (.ceiling(.lowestNeighbourCeiling), "Ceiling_LowerToLowest", .none)
        case 254: return (.ceiling(.ownFloor), "Ceiling_LowerToFloor", .none)
        case 42, 45, 195, 196, 197, 205, 255: return (.crusher, "Ceiling_Crush", .none)
        case 60, 207: return (.lift(visits: [.lowestNeighbourFloor, .highestNeighbourFloor]), "Plat_PerpetualRaise", .none)
        case 62, 206: return (.lift(visits: [.lowestNeighbourFloor]), "Plat_DownWaitUpStay", .none)
        case 63: return (.lift(visits: [.by(-Double(a[3]) * 8)]), "Plat_DownByValue", .none)
        case 64: return (.lift(visits: [.highestNeighbourFloor]), "Plat_UpWaitDownStay", .none)
        case 65: return (.lift(visits: [.by(Double(a[3]) * 8)]), "Plat_UpByValue", .none)
        case 172: return (.lift(visits: [.nextHigherNeighbourFloor]), "Plat_UpNearestWaitDownStay", .none)
        case 203: return (.lift(visits: [.lowestNeighbourFloor]), "Generic_Lift", .none)
        case 228: return (.floor(.nextHigherNeighbourFloor), "Plat_RaiseAndStayTx0", .none)
        case 230: return (.floor(.by(eight)), "Plat_UpByValueStayTx", .none)
        case 26, 31: return (.stairs(step: -value), "Stairs_BuildDown", .none)
        case 27, 32, 217: return (.stairs(step: value), "Stairs_BuildUp", .none)
        case 204: return (.stairs(step: a[3] & 1 != 0 ? value : -value), "Generic_Stairs", .none)
        case 29, 94: return (.ceiling(.ownFloor), "Pillar_Build", .none)
        case 70: return (.teleport(.thing(tid: a[0], sectorTag: a[1])), "Teleport", .none)
        case 71: return (.teleport(.thing(tid: a[0], sectorTag: a[2])), "Teleport_NoFog", .none)
        case 154: return (.teleport(.thing(tid: a[0], sectorTag: a[1])), "Teleport_NoStop", .none)
        case 215: return (.teleport(.line(a[1])), "Teleport_Line", .none)
        case 74: return (.exit(secret: false), "Teleport_NewMap", .none)
        case 75: return (.exit(secret: false), "Teleport_EndGame", .none)
        case 243: return (.exit(secret: false), "Exit_Normal", .none)
        case 244: return (.exit(secret: true), "Exit_Secret", .none)
        case 80, 84, 226: return (.script(a[0]), "ACS_Execute", .none)
        case 83, 85: return (.script(a[0]), "ACS_LockedExecute", lock(a[4]))
        case 81, 82: return (.cosmetic, "ACS_Suspend/Terminate", .none)
        default:
            return cosmetic.contains(special) ? (.cosmetic, "cosmetic special \(special)", .none) : (.unknown, "special \(special)", .none)
        }
    }

    /// Specials that change lights, textures, sounds, things or the view, or define static properties: nothing
    /// that opens or closes a way for the player.
    private static let cosmetic: Set<Int> = [
        1, 5, 9, 16, 17, 19, 38, 39, 44, 46, 48, 49, 50, 51, 53, 54, 56, 57, 58, 61, 72, 73, 76, 77, 78, 98,
        100, 101, 102, 103, 104, 107, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121,
        125, 127, 128, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 156, 157, 159, 160, 173, 176, 177,
        180, 181, 182, 183, 184, 185, 186, 187, 188, 190, 191, 209, 210, 211, 212, 213, 214, 216, 218, 219, 220,
        221, 222, 223, 224, 225, 229, 232, 233, 234, 237, 248,
    ]
}
