import Foundation
import Logging
@testable import PlaytestServer
import PlaytestStorage
import VaporTesting

/// The repository root, for finding `.venv` from tests.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs `test` against a fully configured app on private embedded engines in a temporary folder.
func withPlaytestApp(
    live: PlaytestConfiguration.Live = .memory, embeddedWorkers: Int = 0,
    _ test: (Application, PlaytestEngines) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-server-\(UUID().uuidString)").path
    let configuration = PlaytestConfiguration(
        dataDirectory: folder, live: live, pythonPath: repositoryRoot.appendingPathComponent(".venv/bin/python").path)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
    do {
        try await withApp(configure: { app in
            try configurePlaytest(app, engines: engines, metrics: PlaytestMetrics(), options: ServerOptions(embeddedWorkers: embeddedWorkers))
        }) { app in
            try await test(app, engines)
        }
    } catch {
        await engines.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
        throw error
    }
    await engines.shutdown()
    try? FileManager.default.removeItem(atPath: folder)
}

struct ErrorEnvelope: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }
    var error: Detail
}
