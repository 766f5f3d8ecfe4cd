import Foundation
import PlaytestStorage

/// Deletes what a user owns before the user goes: their maps (with every run on them), their runs on others' maps and
/// their comments on findings.
struct OwnedWorkCleanup: Sendable {
    let owned: OwnedWorkStore
    let runs: RunStore
    let findings: FindingStore
    let library: MapLibrary

    init(engines: PlaytestEngines, library: MapLibrary) {
        owned = OwnedWorkStore(sql: engines.sql)
        runs = RunStore(sql: engines.sql)
        findings = FindingStore(sql: engines.sql)
        self.library = library
    }

    /// Refuses (leaving everything) while any of the user's runs is active.
    func deleteWork(of userID: String) async throws -> (maps: Int, runs: Int) {
        let active = try await owned.activeRunCount(userID: userID)
        guard active == 0 else { throw AccountError.conflict("the user has \(active) active runs; stop them first") }
        let runIDs = try await owned.runIDs(userID: userID)
        for id in runIDs { try await runs.delete(id: id) }
        let mapIDs = try await owned.mapIDs(userID: userID)
        for id in mapIDs { try await library.delete(id: id.uuidString.lowercased()) }
        try await findings.forget(userID: userID)
        return (mapIDs.count, runIDs.count)
    }
}
