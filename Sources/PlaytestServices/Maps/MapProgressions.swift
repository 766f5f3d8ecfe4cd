import Foundation
import PlaytestCore
import PlaytestStorage

/// Can each map be finished: the progression planner's verdict and route per WAD, map and skill, computed once and
/// kept in `map_progressions` (the worker computes it at a run's start; the map page asks for it on first view).
public struct MapProgressions: Sendable {
    let library: MapLibrary
    let store: MapProgressionStore

    public init(engines: PlaytestEngines, library: MapLibrary) {
        self.library = library
        self.store = MapProgressionStore(sql: engines.sql)
    }

    /// The verdict for one map of a library entry, computed when no stored one exists.
    public func progression(id: String, mapName: String, skill: Int) async throws -> ProgressionPlan {
        let record = try await library.record(id: id)
        let analysis = try await library.report(for: record, mapName: mapName)
        let name = analysis.report.summary.name
        if let stored = try await store.plan(sha256: record.sha256, map: name, skill: skill, revision: ProgressionPlanner.revision) {
            return stored
        }
        return try await plan(geometry: analysis.geometry, sha256: record.sha256, skill: skill).plan
    }

    /// The stored verdict for one map of a library entry, nil when nobody computed it yet.
    public func stored(id: String, mapName: String, skill: Int) async throws -> ProgressionPlan? {
        try await stored(sha256: try await library.record(id: id).sha256, mapName: mapName, skill: skill)
    }

    /// The stored verdict, nil when nobody computed it yet.
    public func stored(sha256: String, mapName: String, skill: Int) async throws -> ProgressionPlan? {
        try await store.plan(sha256: sha256, map: mapName.uppercased(), skill: skill, revision: ProgressionPlanner.revision)
    }

    /// Plans a parsed map, keeps the verdict and returns the whole result (the worker needs its graph for the
    /// navigator). The planner runs off the cooperative pool (``CPUWork``): a big map takes it seconds of CPU.
    public func plan(geometry: MapGeometry, sha256: String, skill: Int) async throws -> ProgressionPlanner.Result {
        let started = ContinuousClock.now
        let result = try await CPUWork.run { ProgressionPlanner.plan(geometry: geometry, skill: skill) }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        try await store.save(result.plan, sha256: sha256, map: geometry.map.name.uppercased(), revision: ProgressionPlanner.revision,
                             computedMs: ms)
        return result
    }
}
