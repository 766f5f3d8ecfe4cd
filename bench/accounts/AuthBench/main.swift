import Foundation
import Logging
import PlaytestServer
import PlaytestServices
import PlaytestStorage

// What authentication costs per request, on one core (run it under `taskset -c 0`): an API key lookup (hash, one
// indexed join) and an access token check (HS256 verify, one user read), each a whole `Accounts.authenticate` call as
// `AccessMiddleware` makes it; and sign-ins per second at bcrypt cost 12 beside cost 10, the slowness on purpose.
// Prints one JSON object.

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "3") ?? 3
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-authbench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: folder) }
var logger = Logger(label: "authbench")
logger.logLevel = .error

func rate(_ seconds: Double, _ body: () async throws -> Void) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while (clock.now - start) < .seconds(seconds) {
        try await body()
        count += 1
    }
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

var results: [String: Double] = [:]
for cost in [10, 12] {
    var access = AccessSettings()
    access.bcryptCost = cost
    access.signInAttempts = 10_000
    let configuration = PlaytestConfiguration(dataDirectory: folder + "/\(cost)", access: access)
    let engines = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
    let services = Services(engines: engines, hasher: BcryptHasher(cost: cost), logger: logger)
    let user = try await services.accounts.createUser(
        email: "bench@example.com", password: "bench-password", fullName: nil, role: .user, by: .local, ip: nil)
    results["sign_ins_per_s_cost_\(cost)"] = try await rate(seconds) {
        _ = try await services.accounts.signIn(email: "bench@example.com", password: "bench-password", ip: nil)
    }
    if cost == 12 {
        let key = try await services.accounts.createKey(name: "bench", expiresInDays: nil, for: user.id, by: .local, ip: nil).key
        let token = try await services.accounts.signIn(email: "bench@example.com", password: "bench-password", ip: nil).accessToken
        results["api_key_lookups_per_s"] = try await rate(seconds) { _ = try await services.accounts.authenticate(apiKey: key) }
        results["access_token_checks_per_s"] = try await rate(seconds) { _ = try await services.accounts.authenticate(accessToken: token) }
        results["rate_limit_takes_per_s"] = try await rate(seconds) { _ = await services.rateLimits.admitRequest(principal: "user:bench", ip: "127.0.0.1") }
    }
    await engines.shutdown()
}
let data = try JSONSerialization.data(withJSONObject: results.mapValues { ($0 * 10).rounded() / 10 }, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
