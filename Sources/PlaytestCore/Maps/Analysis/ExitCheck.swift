/// A map with no way to end it: no exit line, no exit sector and no boss brain.
enum ExitCheck {
    static func run(_ context: AnalysisContext) -> [Finding] {
        let map = context.map
        let hexen = map.usesHexenSpecials
        let hasExitLine = !context.geometry.exitLines.isEmpty
        let hasExitSector = map.sectors.contains { LineSpecials.sectorEndsLevel($0, hexenNumbering: hexen) }
        let hasBossBrain = map.things.contains { $0.type == 88 }
        guard !hasExitLine, !hasExitSector, !hasBossBrain else { return [] }
        return [Finding(kind: .noExit,
                        message: "The map has no exit: no linedef with an exit special, no exit sector and no boss brain. That is fine for arenas and scripted scenarios; otherwise players cannot finish it.",
                        location: context.geometry.bounds.center, ids: [])]
    }
}
