import Foundation
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("Importing a WAD from this machine (the CLI)", .enabled(if: Repository.vizdoomDirectory != nil, "no vizdoom package in .venv"))
struct MapImportTests {
    @Test("a WAD without the map to be played is refused before anything is stored; with it, it is stored once")
    func levelChecked() async throws {
        let wad = try #require(Repository.vizdoomDirectory) + "/scenarios/basic.wad"
        try await ServicesHarness.with { harness in
            await #expect(throws: MapLibraryError.mapNotFound("E9M9", available: ["MAP01"])) {
                try await harness.services.maps.importWAD(fileAt: wad, level: "E9M9")
            }
            #expect(try await harness.services.maps.list(nameContains: nil, offset: 0, limit: 10).total == 0)
            #expect(try await harness.engines.blobs.list(prefix: "maps/").isEmpty)

            let imported = try await harness.services.maps.importWAD(fileAt: wad, level: "map01")
            #expect(imported.created)
            // The same file again with a map it lacks: refused, the stored copy unchanged.
            await #expect(throws: MapLibraryError.mapNotFound("MAP02", available: ["MAP01"])) {
                try await harness.services.maps.importWAD(fileAt: wad, level: "MAP02")
            }
            #expect(try await harness.services.maps.list(nameContains: nil, offset: 0, limit: 10).total == 1)
            #expect(try await harness.engines.blobs.list(prefix: "maps/").count == 1)
        }
    }
}
