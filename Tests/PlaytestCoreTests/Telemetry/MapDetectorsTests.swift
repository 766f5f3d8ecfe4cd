import Foundation
import Testing
@testable import PlaytestCore

/// Out of bounds and coverage on a real ``MapGeometry`` (the maps API's point-in-sector and reachability).
@Suite("Out of bounds and coverage")
struct MapDetectorsTests {
    typealias F = TelemetryFixtures

    @Test func theTestMapIsWhatTheTestsAssume() {
        let geometry = MapGeometry(F.threeRooms())
        #expect(geometry.sector(at: MapPoint(x: 128, y: 128)) == 0)
        #expect(geometry.sector(at: MapPoint(x: 384, y: 128)) == 1)
        #expect(geometry.sector(at: MapPoint(x: 1100, y: 128)) == 2)
        #expect(geometry.sector(at: MapPoint(x: 700, y: 128)) == nil)
        #expect(F.threeRoomsMap.reachableSectors == [0, 1])
    }

    func walk(_ points: [(Double, Double)], end: EpisodeEndMessage? = nil) -> EventDeriver {
        var samples: [StepSample] = []
        for (index, point) in points.enumerated() {
            samples.append(StepSample(step: index + 1, tic: (index + 1) * 4, x: point.0, y: point.1))
        }
        return EventDeriver.derive(samples: samples, end: end, map: F.threeRoomsMap)
    }

    @Test func leavingTheMapIsOneOutOfBoundsEventPerExcursion() {
        let deriver = walk([(128, 128), (700, 128), (710, 128), (384, 128), (-50, 50), (128, 128)])
        #expect(deriver.events.map(\.type) == [.outOfBounds, .outOfBounds])
        #expect(deriver.events.map(\.frame) == [8, 20])
        #expect(deriver.outOfBounds.spans == [
            OutOfBoundsSpan(x: 700, y: 128, startTic: 8, endTic: 12, samples: 2),
            OutOfBoundsSpan(x: -50, y: 50, startTic: 20, endTic: 20, samples: 1),
        ])
    }

    @Test func withoutAMapThereIsNoOutOfBoundsAndNoCoverage() {
        let deriver = EventDeriver.derive(samples: [StepSample(step: 1, tic: 4, x: 99_999, y: 99_999)], end: nil)
        #expect(deriver.events.isEmpty)
        #expect(deriver.coverage.coverage == nil)
        #expect(deriver.coverage.cellVisits.count == 1)
    }

    @Test func coverageIsReachableSectorsVisitedOverReachableSectors() {
        #expect(walk([(128, 128), (130, 140)]).coverage.coverage == 0.5)
        #expect(walk([(128, 128), (384, 128)]).coverage.coverage == 1)
        // The closed-off room counts as visited but not towards coverage, and is reported.
        let teleported = walk([(128, 128), (1100, 100)]).coverage
        #expect(teleported.coverage == 0.5)
        #expect(teleported.visitedUnreachableSectors == [2])
        #expect(teleported.unvisitedSectors == [1])
    }

    @Test func theEpisodeEndPositionCountsForCoverage() {
        let end = EpisodeEndMessage(reason: .timeout, tics: 100, x: 400, y: 30)
        #expect(walk([(128, 128)], end: end).coverage.coverage == 1)
    }

    @Test func theGridCountsSamplesPerCellForHeatmaps() {
        let tracker = walk([(10, 10), (20, 20), (30, 30), (70, 10), (-1, -1)]).coverage
        #expect(tracker.cellVisits == [GridCell(x: 0, y: 0): 3, GridCell(x: 1, y: 0): 1, GridCell(x: -1, y: -1): 1])
        let cells = tracker.heatCells()
        let third: Double = 1.0 / 3
        let values: [Double] = [third, 1, third]
        let corners: [Double] = [-64, 0, 64]
        #expect(cells.map(\.value) == values)
        #expect(cells.map(\.x) == corners)
        guard case .heatmap(let overlayCells, let size, _, _) = tracker.heatmapOverlay() else {
            Issue.record("not a heatmap")
            return
        }
        #expect(overlayCells == cells)
        #expect(size == 64)
    }

    @Test func theSVGRendererDrawsTheHeatmapAndStuckSpots() {
        let tracker = walk([(10, 10), (20, 20), (300, 10), (400, 200)]).coverage
        let spot = StuckSpot(x: 128, y: 128, startTic: 0, endTic: 700)
        let svg = SVGMapRenderer(map: F.threeRooms()).render(overlays: [tracker.heatmapOverlay(), spot.marker()])
        guard let heatmap = svg.range(of: "<g class=\"overlay heatmap\">"),
              let groupEnd = svg.range(of: "</g>", range: heatmap.upperBound..<svg.endIndex) else {
            Issue.record("no heatmap group in the SVG")
            return
        }
        #expect(svg[heatmap.upperBound..<groupEnd.lowerBound].components(separatedBy: "<rect").count - 1 == tracker.heatCells().count)
        #expect(svg.contains("stuck 20.0 s"))
    }

    @Test func trackersOfSeveralEpisodesMerge() {
        var run = walk([(10, 10)]).coverage
        run.merge(walk([(300, 10), (10, 20)]).coverage)
        #expect(run.visitedSectors == [0, 1])
        #expect(run.cellVisits == [GridCell(x: 0, y: 0): 2, GridCell(x: 4, y: 0): 1])
        var coarse = CoverageTracker(cellSize: 128)
        coarse.merge(run)
        #expect(coarse.cellVisits == [GridCell(x: 0, y: 0): 2, GridCell(x: 2, y: 0): 1])
    }

    @Test func hostileCoordinatesDoNotOverflowTheGrid() {
        var tracker = CoverageTracker()
        tracker.visit(x: 1e300, y: -1e300, sector: nil)
        tracker.visit(x: .infinity, y: .nan, sector: nil)
        #expect(tracker.cellVisits.count == 2)
        #expect(CoverageTracker(cellSize: 0).cellSize == CoverageTracker.defaultCellSize)
    }
}
