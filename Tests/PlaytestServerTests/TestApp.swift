import Foundation
import Logging
@testable import PlaytestServer
import PlaytestCore
import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import VaporTesting

let testVizdoomDirectory = Repository.vizdoomDirectory

/// bcrypt at its lowest cost: the tests check behaviour, not the hash's slowness (bench/accounts measures cost 12).
let testAccess: AccessSettings = {
    var access = AccessSettings()
    access.bcryptCost = 4
    return access
}()

/// Runs `test` against a fully configured app on private embedded engines in a temporary folder.
///
/// `signedInAs`: every request that brings no credentials of its own is sent with an API key of a user of this role
/// (the route-inventory and accounts tests pass nil and sign in themselves).
func withPlaytestApp(
    live: PlaytestConfiguration.Live = .memory, embeddedWorkers: Int = 0, maxUploadBytes: Int = 100 * 1024 * 1024,
    access: AccessSettings = testAccess, signedInAs role: Role? = .admin,
    _ test: (Application, PlaytestEngines) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-server-\(UUID().uuidString)").path
    let configuration = PlaytestConfiguration(
        dataDirectory: folder, live: live, maxUploadBytes: maxUploadBytes, pythonPath: Repository.python,
        agentDirectory: Repository.agentDirectory, access: access)
    let logger = TestDatabase.quietLogger()
    let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
    do {
        let services = Services.standard(engines: engines, hasher: BcryptHasher(cost: access.bcryptCost), logger: logger)
        let key = try await role.asyncMap { try await testKey(services, role: $0) }
        try await withApp(configure: { app in
            try configurePlaytest(app, services: services, metrics: PlaytestMetrics(), options: ServerOptions(embeddedWorkers: embeddedWorkers))
            if let key { app.middleware.use(DefaultCredentials(apiKey: key), at: .beginning) }
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
    Services(engines: engines, hasher: BcryptHasher(cost: 4), logger: TestDatabase.quietLogger())
}

/// A user of `role` (`<role>@example.com`, password `password-<role>`) and an API key acting as them.
func testKey(_ services: Services, role: Role) async throws -> String {
    let user = try await services.accounts.createUser(
        email: "\(role.rawValue)@example.com", password: "password-\(role.rawValue)", fullName: nil, role: role, by: .local, ip: nil)
    return try await services.accounts.createKey(name: "tests", expiresInDays: nil, for: user.id, by: .local, ip: nil).key
}

/// Sends `apiKey` with every request that carries no credentials of its own.
struct DefaultCredentials: AsyncMiddleware {
    let apiKey: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let bare = request.headers.first(name: "X-API-Key") == nil && request.headers.bearerAuthorization == nil
            && request.cookies["playtest_session"] == nil && request.headers.first(name: "X-Anonymous") == nil
        if bare { request.headers.replaceOrAdd(name: "X-API-Key", value: apiKey) }
        return try await next.respond(to: request)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
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
