/// A map needs a player 1 start; a deathmatch map needs at least four deathmatch starts.
enum StartChecks {
    static let minimumDeathmatchStarts = 4

    static func run(_ context: AnalysisContext) -> [Finding] {
        var findings: [Finding] = []
        let geometry = context.geometry
        if !geometry.playerStarts.contains(where: { $0.player == 1 }) {
            let center = MapPoint(x: (geometry.bounds.minX + geometry.bounds.maxX) / 2, y: (geometry.bounds.minY + geometry.bounds.maxY) / 2)
            findings.append(Finding(kind: .missingPlayerStart,
                                    message: "The map has no player 1 start (thing type 1). The game cannot start it in single player.",
                                    location: center, ids: []))
        }
        let deathmatch = geometry.deathmatchStarts
        if !deathmatch.isEmpty, deathmatch.count < minimumDeathmatchStarts {
            let first = context.map.things[deathmatch[0]]
            findings.append(Finding(kind: .tooFewDeathmatchStarts,
                                    message: "The map has \(deathmatch.count) deathmatch start(s) (thing type 11); deathmatch needs at least \(minimumDeathmatchStarts), or the game refuses to start.",
                                    location: first.position, ids: deathmatch.map { MapElementID(.thing, $0) }))
        }
        return findings
    }
}
