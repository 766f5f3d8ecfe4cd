import Foundation
import Logging
@testable import PlaytestServer
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import VaporTesting

let testVizdoomDirectory = Repository.vizdoomDirectory

/// Runs `test` against a fully configured app on private embedded engines in a temporary folder.
func withPlaytestApp(
    live: PlaytestConfiguration.Live = .memory, embeddedWorkers: Int = 0, maxUploadBytes: Int = 100 * 1024 * 1024,
    _ test: (Application, PlaytestEngines) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-server-\(UUID().uuidString)").path
    let configuration = PlaytestConfiguration(
        dataDirectory: folder, live: live, maxUploadBytes: maxUploadBytes, pythonPath: Repository.python,
        agentDirectory: Repository.agentDirectory)
    let logger = TestDatabase.quietLogger()
    let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
    do {
        try await withApp(configure: { app in
            try configurePlaytest(
                app, services: .standard(engines: engines, logger: logger), metrics: PlaytestMetrics(),
                options: ServerOptions(embeddedWorkers: embeddedWorkers))
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

/// The services of an app's engines (for what a test sets up without going through HTTP).
func testServices(_ engines: PlaytestEngines) -> Services {
    Services(engines: engines, logger: TestDatabase.quietLogger())
}

/// Imports a built-in scenario WAD into the library and returns its id.
func importScenario(_ engines: PlaytestEngines, _ name: String = "defend_the_center") async throws -> String {
    guard let vizdoom = testVizdoomDirectory else { throw LaunchError("no vizdoom package in .venv") }
    return try await testServices(engines).maps.importWAD(
        fileAt: vizdoom + "/scenarios/\(name).wad", name: name, builtin: true, scenario: "\(name).cfg").map.id
}

struct ErrorEnvelope: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }
    var error: Detail
}

/// A multipart/form-data body with a `file` part and optional text fields.
func multipartBody(file: [UInt8], filename: String, fields: [String: String] = [:], boundary: String = "PlaytestBoundary7MA4YWxk") -> (HTTPHeaders, ByteBuffer) {
    var buffer = ByteBufferAllocator().buffer(capacity: file.count + 512)
    for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }
    buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
    buffer.writeBytes(file)
    buffer.writeString("\r\n--\(boundary)--\r\n")
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
    return (headers, buffer)
}
