@testable import PlaytestCore
import Testing

@Suite("Play findings")
struct PlayFindingsTests {
    @Test("stuck spots, deaths and out-of-bounds become observations with their episode and tic; other events do not")
    func fromEvents() {
        let events: [Int: [TelemetryEvent]] = [
            1: [TelemetryEvent(frame: 70, x: 1, y: 2, detail: .kill(killcount: 1, health: 100, ammo: 50)),
                TelemetryEvent(frame: 700, x: 10, y: 20, detail: .death(health: -5, ammo: 3))],
            0: [TelemetryEvent(frame: 35, x: 5, y: 6, detail: .stuck(durationTics: 350, radius: 48)),
                TelemetryEvent(frame: 90, x: -1e5, y: 0, detail: .outOfBounds)],
        ]
        let observed = PlayFindings.observations(events: events)
        #expect(observed.map(\.kind) == ["stuck", "out_of_bounds", "death_hotspot"])
        #expect(observed.map(\.episode) == [0, 0, 1] && observed.map(\.tic) == [35, 90, 700])
        #expect(observed.map(\.severity) == [.warning, .error, .info])
        #expect(observed[0].message == "The player stayed within 48 units of this spot for 10.0 s.")
    }

    @Test("a secret sector no episode entered is a finding placed inside it; an entered one is not")
    func secretsMissed() {
        var map = GeometryTests.roomAroundSquare(innerSector: true)
        map.sectors[1].special = 9
        let geometry = MapGeometry(map)
        let missed = PlayFindings.secretsMissed(geometry: geometry, visited: [0])
        #expect(missed.map(\.kind) == ["secret_missed"] && missed.first?.sector == 1 && missed.first?.severity == .info)
        #expect(missed.first.map { geometry.sector(at: MapPoint(x: $0.x, y: $0.y)) } == 1)
        #expect(PlayFindings.secretsMissed(geometry: geometry, visited: [0, 1]).isEmpty)
        #expect(geometry.sectorsEntered([MapPoint(x: 10, y: 10), MapPoint(x: 256, y: 256), MapPoint(x: 20, y: 20)]) == [0, 1])

        // Boom's generalized secret bit on the room around the square: its outline's middle is the square's, so the
        // point comes from the grid over its box.
        map.sectors[1].special = 0
        map.sectors[0].special = 128 | 4
        let room = MapGeometry(map)
        let point = PlayFindings.secretsMissed(geometry: room, visited: [1]).first.map { MapPoint(x: $0.x, y: $0.y) }
        #expect(point.flatMap { room.sector(at: $0) } == 0)
        #expect(!PlayFindings.isSecret(Sector(special: 4), format: .doom) && !PlayFindings.isSecret(Sector(special: 128), format: .hexen))
        #expect(PlayFindings.isSecret(Sector(special: 1024 | 65), format: .hexen) && PlayFindings.isSecret(Sector(special: 9), format: .udmf))
    }

    @Test("a reachable area no episode entered is one finding inside its largest sector; small or entered areas are not")
    func unvisitedAreas() {
        let geometry = MapGeometry(GeometryTests.roomAroundSquare(innerSector: true))
        let missed = PlayFindings.unvisitedAreas(geometry: geometry, visited: [0])
        #expect(missed.map(\.kind) == ["unvisited_area"] && missed.first?.sector == 1 && missed.first?.severity == .info)
        #expect(missed.first.map { geometry.sector(at: MapPoint(x: $0.x, y: $0.y)) } == 1)
        #expect(missed.first?.message.contains("1 sector, about 16384 square units") == true)
        #expect(PlayFindings.unvisitedAreas(geometry: geometry, visited: [0, 1]).isEmpty)
        #expect(PlayFindings.unvisitedAreas(geometry: geometry, visited: [0], minimumArea: 20_000).isEmpty, "too small to be an area")
    }

    @Test("a visual defect is placed on the first wall along the bearing it was seen at, and names that line")
    func visualDefects() throws {
        let geometry = MapGeometry(GeometryTests.roomAroundSquare(innerSector: true))
        // East from (64, 256): the square's west side at x = 192 is a step of 8 (a two-sided wall).
        let wall = try #require(geometry.firstWall(from: MapPoint(x: 64, y: 256), bearing: 0))
        #expect(wall.at == MapPoint(x: 192, y: 256) && wall.distance == 128)
        #expect(geometry.map.linedefs[wall.line].backSide != nil, "the square's side, not the room's east wall")
        // West: the room's one-sided wall.
        let west = try #require(geometry.firstWall(from: MapPoint(x: 64, y: 64), bearing: 180))
        #expect(abs(west.at.x) < 1e-9 && abs(west.at.y - 64) < 1e-9 && geometry.map.linedefs[west.line].backSide == nil)

        let seen = try #require(PlayFindings.visual(kind: "hall_of_mirrors", severity: "high", tic: 300, episode: 2,
                                                     player: MapPoint(x: 64, y: 256), bearing: 0, at: MapPoint(x: 180, y: 250), geometry: geometry,
                                                     suspectLines: [wall.line]))
        #expect(seen.kind == "visual_hall_of_mirrors" && seen.severity == .warning && seen.line == wall.line)
        #expect(seen.x == 192 && seen.y == 256 && seen.episode == 2 && seen.tic == 300)
        #expect(seen.message.contains("seen from (64, 256) looking 0°, through line \(wall.line), which the map's checks also flag"))
        // Through a line the checks find nothing wrong with: info, and says so.
        let unconfirmed = try #require(PlayFindings.visual(kind: "hall_of_mirrors", severity: "high", tic: 300, episode: 2,
                                                            player: MapPoint(x: 64, y: 256), bearing: 0, at: nil, geometry: geometry))
        #expect(unconfirmed.severity == .info && unconfirmed.message.contains("the map's checks find nothing wrong there"))
        let flagged = PlayFindings.suspectLines([
            Finding(kind: .missingTexture, message: "lower", location: MapPoint(x: 0, y: 0), ids: [MapElementID(.linedef, 7)]),
            Finding(kind: .thingStuckInWall, message: "stuck", location: MapPoint(x: 0, y: 0), ids: [MapElementID(.thing, 1), MapElementID(.linedef, 9)]),
        ])
        #expect(flagged == [7], "only drawing problems confirm what the engine showed")
        let medium = PlayFindings.visual(kind: "flat_bleeding", severity: "medium", tic: 1, episode: 1, player: MapPoint(x: 64, y: 256),
                                         bearing: 90, at: nil, geometry: nil)
        #expect(medium?.kind == "visual_flat_bleeding" && medium?.severity == .info && medium?.x == 64, "no geometry: the player's place")
        #expect(PlayFindings.visual(kind: "lens_flare", severity: "high", tic: 1, episode: 1, player: MapPoint(x: 0, y: 0),
                                    bearing: 0, at: nil, geometry: geometry) == nil)
    }

    @Test("the nearest finding within 64 units matches; farther ones do not")
    func clusters() {
        let candidates: [(id: Int, x: Double, y: Double)] = [(1, 0, 0), (2, 50, 0), (3, 500, 500)]
        #expect(FindingClusters.match(candidates, x: 40, y: 0) == 2)
        #expect(FindingClusters.match(candidates, x: 0, y: 64) == 1)
        #expect(FindingClusters.match(candidates, x: 0, y: 64.5) == nil)
        #expect(FindingClusters.match([(id: Int, x: Double, y: Double)](), x: 0, y: 0) == nil)
    }

    @Test("a static finding keeps its kind in snake_case and the line it names")
    func staticKind() {
        let finding = Finding(kind: .missingPlayerStart, message: "No start", location: MapPoint(x: 1, y: 2), ids: [MapElementID(.linedef, 7)])
        let observation = FindingObservation(finding)
        #expect(observation.kind == "missing_player_start" && observation.line == 7 && observation.source == .map && observation.severity == .error)
    }
}
