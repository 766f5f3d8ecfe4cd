/// What killing every monster of a kind does on some maps, by the engine's own rules (Doom's E1M8 barons,
/// the ExM8 bosses, Doom II's MAP07, the boss brain, Commander Keen). The planner treats it as an action whose
/// place is the monsters' spots.
struct BossAction: Sendable, Hashable {
    enum Outcome: Sendable, Hashable {
        case exit
        /// The effect on every sector with the tag.
        case sectors(tag: Int, effect: SpecialEffect)
    }

    /// The monsters to kill (thing indices present at the skill).
    let monsters: [Int]
    let monsterName: String
    let outcome: Outcome

    static func actions(for map: DoomMap, things: [Int]) -> [BossAction] {
        guard !map.usesHexenSpecials else { return [] }
        func of(_ type: Int) -> [Int] { things.filter { map.things[$0].type == type } }
        let lower = SpecialEffect.floor(.lowestNeighbourFloor)
        var actions: [BossAction] = []
        func add(_ type: Int, _ name: String, _ outcome: Outcome) {
            let monsters = of(type)
            if !monsters.isEmpty { actions.append(BossAction(monsters: monsters, monsterName: name, outcome: outcome)) }
        }
        switch map.name.uppercased() {
        case "E1M8": add(3003, "Baron of Hell", .sectors(tag: 666, effect: lower))
        case "E2M8": add(16, "Cyberdemon", .exit)
        case "E3M8": add(7, "Spider Mastermind", .exit)
        case "E4M6": add(16, "Cyberdemon", .sectors(tag: 666, effect: .door(.open)))
        case "E4M8": add(7, "Spider Mastermind", .sectors(tag: 666, effect: lower))
        case "MAP07":
            add(67, "Mancubus", .sectors(tag: 666, effect: lower))
            add(68, "Arachnotron", .sectors(tag: 667, effect: .floor(.shortestLowerTexture)))
        default: break
        }
        add(72, "Commander Keen", .sectors(tag: 666, effect: .door(.open)))
        add(88, "boss brain", .exit)
        return actions
    }
}
