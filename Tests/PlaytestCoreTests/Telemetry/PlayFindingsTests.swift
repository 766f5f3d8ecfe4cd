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
