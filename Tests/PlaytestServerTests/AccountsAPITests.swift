import Foundation
import JWTKit
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing
import VaporTesting

@Suite("Accounts API", .serialized)
struct AccountsAPITests {
    struct Tokens: Decodable {
        var access_token: String
        var refresh_token: String
        var expires_in: Int
    }
    struct Created: Decodable {
        struct Key: Decodable { var id: String; var prefix: String }
        var key: String
        var api_key: Key
    }

    static let secret = String(repeating: "k", count: 40)

    static var settings: AccessSettings {
        var settings = testAccess
        settings.jwtSecret = secret
        return settings
    }

    static func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
    }

    static func post(_ app: Application, _ path: String, _ body: [String: Any], headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = headers
        headers.contentType = .json
        headers.replaceOrAdd(name: "X-Anonymous", value: "1")
        var result: TestingHTTPResponse?
        try await app.testing().test(.POST, path, headers: headers, body: try json(body)) { result = $0 }
        return try #require(result)
    }

    static func get(_ app: Application, _ path: String, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "X-Anonymous", value: "1")
        var result: TestingHTTPResponse?
        try await app.testing().test(.GET, path, headers: headers) { result = $0 }
        return try #require(result)
    }

    static func signIn(_ app: Application, _ email: String, _ password: String) async throws -> Tokens {
        let response = try await post(app, "api/v1/auth/login", ["email": email, "password": password])
        #expect(response.status == .ok)
        return try response.content.decode(Tokens.self)
    }

    @Test("sign in, use the access token, refresh once; a reused refresh token revokes its family; logout ends it")
    func tokens() async throws {
        try await withPlaytestApp(access: Self.settings, signedInAs: nil) { app, engines in
            _ = try await testKey(testServices(engines), role: .user)
            let tokens = try await Self.signIn(app, "USER@example.com", "password-user")
            #expect(tokens.expires_in == 900)
            #expect(try await Self.get(app, "api/v1/runs", ["Authorization": "Bearer \(tokens.access_token)"]).status == .ok)
            let me = try await Self.get(app, "api/v1/auth/me", ["Authorization": "Bearer \(tokens.access_token)"])
            #expect(me.body.string.contains("\"email\":\"user@example.com\"") && !me.body.string.contains("password"))

            let rotated = try await Self.post(app, "api/v1/auth/refresh", ["refresh_token": tokens.refresh_token])
            #expect(rotated.status == .ok)
            let next = try rotated.content.decode(Tokens.self)
            let reused = try await Self.post(app, "api/v1/auth/refresh", ["refresh_token": tokens.refresh_token])
            #expect(reused.status == .unauthorized, "a refresh token works once")
            #expect(try await Self.post(app, "api/v1/auth/refresh", ["refresh_token": next.refresh_token]).status == .unauthorized,
                    "reuse revoked the whole family, the newer token too")

            let again = try await Self.signIn(app, "user@example.com", "password-user")
            #expect(try await Self.post(app, "api/v1/auth/logout", ["refresh_token": again.refresh_token]).status == .noContent)
            #expect(try await Self.post(app, "api/v1/auth/refresh", ["refresh_token": again.refresh_token]).status == .unauthorized)
        }
    }

    @Test("tampered, alg:none, wrongly signed, expired and wrong-audience tokens are refused")
    func tampering() async throws {
        try await withPlaytestApp(access: Self.settings, signedInAs: nil) { app, engines in
            _ = try await testKey(testServices(engines), role: .viewer)
            let good = try await Self.signIn(app, "viewer@example.com", "password-viewer").access_token
            let userID = try #require(try await engines.sql.sql.raw("SELECT id FROM users").first()?.decode(column: "id", as: String.self))
            let parts = good.split(separator: ".").map(String.init)

            func refused(_ token: String, _ why: String) async throws {
                let response = try await Self.get(app, "api/v1/runs", ["Authorization": "Bearer \(token)"])
                #expect(response.status == .unauthorized, "\(why): \(response.status.code)")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            }
            // The payload changed (a role claim raised), the signature kept.
            let payload = Data(#"{"sub":"\#(userID)","iss":"playtest","aud":["playtest-api"],"exp":9999999999,"iat":1,"role":"admin"}"#.utf8)
            try await refused(parts[0] + "." + Self.base64url(payload) + "." + parts[2], "a changed payload")
            try await refused(Self.base64url(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + ".", "alg none")
            try await refused(String(good.dropLast(2)) + (good.hasSuffix("AA") ? "BB" : "AA"), "a changed signature")

            func signed(secret: String, expires: Date, audience: String) async throws -> String {
                let keys = JWTKeyCollection()
                await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
                return try await keys.sign(AccessTokens.Claims(
                    sub: SubjectClaim(value: userID), iss: IssuerClaim(value: "playtest"), aud: AudienceClaim(value: [audience]),
                    exp: ExpirationClaim(value: expires), iat: IssuedAtClaim(value: Date()), role: "viewer"))
            }
            let soon = Date().addingTimeInterval(600)
            #expect(try await Self.get(app, "api/v1/runs", ["Authorization": "Bearer \(try await signed(secret: Self.secret, expires: soon, audience: "playtest-api"))"]).status == .ok,
                    "the control: a token made the same way with the right key, audience and expiry works")
            try await refused(try await signed(secret: String(repeating: "x", count: 40), expires: soon, audience: "playtest-api"), "another key")
            try await refused(try await signed(secret: Self.secret, expires: Date().addingTimeInterval(-5), audience: "playtest-api"), "expired")
            try await refused(try await signed(secret: Self.secret, expires: soon, audience: "someone-else"), "wrong audience")
        }
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("API keys: shown once, stored hashed, refused once revoked; a disabled user's keys and tokens stop at once")
    func keys() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            let services = testServices(engines)
            let admin = try await testKey(services, role: .admin)
            let user = try await testKey(services, role: .user)
            let tokens = try await Self.signIn(app, "user@example.com", "password-user")
            let created = try await Self.post(app, "api/v1/api-keys", ["name": "ci"], headers: ["X-API-Key": user])
            #expect(created.status == .created)
            let key = try created.content.decode(Created.self)
            #expect(key.key.hasPrefix(key.api_key.prefix + "_"))
            let stored = try await engines.sql.sql.raw("SELECT key_hash FROM api_keys WHERE id = \(bind: key.api_key.id)").first()?
                .decode(column: "key_hash", as: String.self)
            #expect(stored?.count == 64 && stored != key.key, "only the SHA-256 is stored")
            let listed = try await Self.get(app, "api/v1/api-keys", ["X-API-Key": user])
            #expect(listed.body.string.contains(key.api_key.prefix) && !listed.body.string.contains(key.key))
            #expect(try await Self.get(app, "api/v1/maps", ["X-API-Key": key.key]).status == .ok)

            var headers: HTTPHeaders = ["X-API-Key": user, "X-Anonymous": "1"]
            try await app.testing().test(.DELETE, "api/v1/api-keys/\(key.api_key.id)", headers: headers) { #expect($0.status == .noContent) }
            #expect(try await Self.get(app, "api/v1/maps", ["X-API-Key": key.key]).status == .unauthorized, "a revoked key is refused")

            let userID = try #require(try await engines.sql.sql.raw("SELECT id FROM users WHERE email = 'user@example.com'").first()?
                .decode(column: "id", as: String.self))
            headers = ["X-API-Key": admin, "X-Anonymous": "1", "Content-Type": "application/json"]
            try await app.testing().test(.PATCH, "api/v1/users/\(userID)", headers: headers, body: try Self.json(["is_active": false])) {
                #expect($0.status == .ok)
            }
            #expect(try await Self.get(app, "api/v1/maps", ["X-API-Key": user]).status == .unauthorized, "a disabled user's key stops at once")
            #expect(try await Self.get(app, "api/v1/maps", ["Authorization": "Bearer \(tokens.access_token)"]).status == .unauthorized,
                    "and so does their access token")
            #expect(try await Self.post(app, "api/v1/auth/refresh", ["refresh_token": tokens.refresh_token]).status == .unauthorized)
            let audit = try await Self.get(app, "api/v1/audit", ["X-API-Key": admin]).body.string
            for action in ["\"signin\"", "apikey.create", "apikey.revoke", "user.disable"] { #expect(audit.contains(action), "audit has \(action)") }
            #expect(!audit.contains("password-user"), "passwords are never recorded")
        }
    }

    @Test("sign-in errors say nothing about whether an address exists, and attempts are throttled per account")
    func bruteForce() async throws {
        var settings = testAccess
        settings.signInAttempts = 3
        try await withPlaytestApp(access: settings, signedInAs: nil) { app, engines in
            _ = try await testKey(testServices(engines), role: .user)
            let wrong = try await Self.post(app, "api/v1/auth/login", ["email": "user@example.com", "password": "wrong password"])
            let unknown = try await Self.post(app, "api/v1/auth/login", ["email": "nobody@example.com", "password": "wrong password"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.body.string == unknown.body.string, "one answer for both")
            for attempt in 2...3 {
                _ = try await Self.post(app, "api/v1/auth/login", ["email": "user@example.com", "password": "wrong \(attempt)"])
            }
            let throttled = try await Self.post(app, "api/v1/auth/login", ["email": "user@example.com", "password": "password-user"])
            #expect(throttled.status == .tooManyRequests, "the fourth attempt is refused even with the right password")
            #expect(Int(throttled.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
        }
    }

    @Test("requests over the limit get 429 with Retry-After and the RateLimit headers")
    func rateLimit() async throws {
        var settings = testAccess
        settings.requestsPerMinute = 5
        try await withPlaytestApp(access: settings, signedInAs: nil) { app, engines in
            let key = try await testKey(testServices(engines), role: .viewer)
            var statuses: [HTTPStatus] = []
            var last: TestingHTTPResponse?
            for _ in 0..<6 {
                let response = try await Self.get(app, "api/v1/runs", ["X-API-Key": key])
                statuses.append(response.status)
                last = response
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .ok } && statuses.last == .tooManyRequests)
            let headers = try #require(last).headers
            #expect(headers.first(name: "RateLimit-Limit") == "5" && headers.first(name: "RateLimit-Remaining") == "0")
            #expect(Int(headers.first(name: "Retry-After") ?? "") ?? 0 >= 1 && headers.first(name: "RateLimit-Reset") != nil)
        }
    }

    @Test("a browser signs in with a form, gets an HttpOnly cookie, and needs the CSRF token to change anything")
    func browserSession() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            _ = try await testKey(testServices(engines), role: .user)
            var cookie = ""
            var form: HTTPHeaders = ["X-Anonymous": "1"]
            form.contentType = .urlEncodedForm
            try await app.testing().test(.POST, "login", headers: form, body: ByteBuffer(string: "email=user%40example.com&password=password-user&next=%2Fruns")) {
                #expect($0.status == .seeOther && $0.headers.first(name: .location) == "/runs")
                let setCookie = $0.headers.first(name: .setCookie) ?? ""
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
                cookie = String(setCookie.split(separator: ";")[0])
            }
            let page = try await Self.get(app, "runs", ["Cookie": cookie, "Accept": "text/html"])
            #expect(page.status == .ok && page.body.string.contains("user@example.com (user)"))
            let csrf = try #require(page.body.string.range(of: #"csrf-token" content="([^"]+)""#, options: .regularExpression)
                .map { String(page.body.string[$0].dropFirst(#"csrf-token" content=""#.count).dropLast()) })
            let missing = "00000000-0000-0000-0000-000000000000"
            try await app.testing().test(.DELETE, "api/v1/maps/\(missing)", headers: ["Cookie": cookie, "X-Anonymous": "1"]) {
                #expect($0.status == .forbidden && $0.body.string.contains("csrf_failed"))
            }
            try await app.testing().test(.DELETE, "api/v1/maps/\(missing)", headers: ["Cookie": cookie, "X-CSRF-Token": csrf, "X-Anonymous": "1"]) {
                #expect($0.status == .notFound, "with the token the request reaches the route")
            }
            try await app.testing().test(.GET, "maps/x", headers: ["Accept": "text/html", "X-Anonymous": "1"]) {
                #expect($0.status == .seeOther && $0.headers.first(name: .location) == "/login?next=%2Fmaps%2Fx")
            }
            try await app.testing().test(.POST, "login", headers: form, body: ByteBuffer(string: "email=user%40example.com&password=password-user&next=https%3A%2F%2Fevil.example")) {
                #expect($0.headers.first(name: .location) == "/", "sign-in never redirects off the site")
            }
        }
    }

    @Test("a fresh instance offers setup; from elsewhere it needs the setup token; only once")
    func firstAdministrator() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            try await app.testing().test(.GET, "login", headers: ["X-Anonymous": "1"]) { #expect($0.headers.first(name: .location) == "/setup") }
            let body: [String: Any] = ["email": "boss@example.com", "password": "long enough"]
            // VaporTesting's requests have no peer address: they count as from elsewhere.
            #expect(try await Self.post(app, "api/v1/setup", body).status == .forbidden)
            let token = ServerOptions(embeddedWorkers: 0).setupTokenValue
            #expect(try await Self.post(app, "api/v1/setup", body.merging(["setup_token": token]) { $1 }).status == .forbidden,
                    "another instance's token is not this one's")
            let accounts = testServices(engines).accounts
            _ = try await accounts.createFirstAdmin(email: "boss@example.com", password: "long enough", ip: nil)
            await #expect(throws: AccountError.self, "only once") {
                try await accounts.createFirstAdmin(email: "second@example.com", password: "long enough", ip: nil)
            }
            try await app.testing().test(.GET, "setup", headers: ["X-Anonymous": "1"]) { #expect($0.headers.first(name: .location) == "/login") }
        }
    }

    @Test("a user changes only their own maps and runs; an admin changes anyone's")
    func ownership() async throws {
        guard let vizdoom = testVizdoomDirectory else { return }
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            let services = testServices(engines)
            let alice = try await testKey(services, role: .user)
            let admin = try await testKey(services, role: .admin)
            let bob = try await services.accounts.createKey(
                name: "bob", expiresInDays: nil,
                for: try await services.accounts.createUser(email: "bob@example.com", password: "password-bob", fullName: nil, role: .user, by: .local, ip: nil).id,
                by: .local, ip: nil).key
            let wad = try [UInt8](Data(contentsOf: URL(fileURLWithPath: vizdoom + "/scenarios/basic.wad")))
            let (headers, body) = multipartBody(file: wad, filename: "basic.wad")
            var mapID = ""
            var upload = headers
            upload.replaceOrAdd(name: "X-API-Key", value: alice)
            try await app.testing().test(.POST, "api/v1/maps/upload", headers: upload, body: body) {
                #expect($0.status == .created)
                mapID = try $0.content.decode([String: JSONValue].self)["id"]?.stringValue ?? ""
                #expect($0.body.string.contains("\"owner\":\"user@example.com\""))
            }
            let start = try await Self.post(app, "api/v1/testing/start", ["map_id": mapID, "agent": "random", "episodes": 1], headers: ["X-API-Key": bob])
            #expect(start.status == .accepted, "anyone with the user role may play any map")
            let runID = try start.content.decode([String: JSONValue].self)["test_id"]?.stringValue ?? ""
            #expect(try await Self.post(app, "api/v1/testing/stop", ["test_id": runID], headers: ["X-API-Key": alice]).status == .forbidden,
                    "alice may not stop bob's run")
            #expect(try await Self.post(app, "api/v1/testing/stop", ["test_id": runID], headers: ["X-API-Key": bob]).status == .ok)
            try await app.testing().test(.DELETE, "api/v1/maps/\(mapID)", headers: ["X-API-Key": bob]) {
                #expect($0.status == .forbidden, "bob may not delete alice's map")
            }
            try await Deadline.wait("bob's run to stop") { try await services.reports.run(id: runID).status.isFinal }
            try await app.testing().test(.DELETE, "api/v1/maps/\(mapID)", headers: ["X-API-Key": admin]) { #expect($0.status == .noContent) }
        }
    }
}

/// Two `serve` instances on one database and one Redis: one rate-limit budget, and a key revoked on one is refused on
/// the other, though the other had it cached.
@Suite("Two serve instances", .serialized)
struct TwoInstanceTests {
    /// Two apps on one SQLite file and the Redis of `PLAYTEST_TEST_REDIS_URL`, and an API key of a viewer.
    static func withTwoInstances(_ access: AccessSettings, _ body: (Application, Application, String, Services) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-two-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let url = try #require(LiveStoreEngine.redisURL)
        let configuration = PlaytestConfiguration(
            dataDirectory: folder, live: .redis(url: url), pythonPath: Repository.python, agentDirectory: Repository.agentDirectory, access: access)
        let logger = TestDatabase.quietLogger()
        let first = try await PlaytestEngines.open(configuration, migrate: true, logger: logger)
        let second = try await PlaytestEngines.open(configuration, migrate: false, logger: logger)
        let (servicesOne, servicesTwo) = (testServices(first), testServices(second))
        let key = try await testKey(servicesOne, role: .viewer)
        do {
            try await withApp(configure: { app in
                try configurePlaytest(app, services: servicesOne, metrics: PlaytestMetrics(), options: ServerOptions(embeddedWorkers: 0))
            }) { one in
                try await withApp(configure: { app in
                    try configurePlaytest(app, services: servicesTwo, metrics: PlaytestMetrics(), options: ServerOptions(embeddedWorkers: 0))
                }) { two in
                    try await body(one, two, key, servicesOne)
                }
            }
        } catch {
            await first.shutdown()
            await second.shutdown()
            throw error
        }
        await first.shutdown()
        await second.shutdown()
    }

    @Test("a key's requests on two serve instances sharing Redis draw from one bucket",
          .enabled(if: LiveStoreEngine.redisURL != nil, "PLAYTEST_TEST_REDIS_URL is not set"))
    func oneBudget() async throws {
        var access = testAccess
        access.requestsPerMinute = 6
        var statuses: [HTTPStatus] = []
        try await Self.withTwoInstances(access) { one, two, key, _ in
            for index in 0..<12 {
                try await (index.isMultiple(of: 2) ? one : two).testing().test(.GET, "api/v1/runs", headers: ["X-API-Key": key]) {
                    statuses.append($0.status)
                }
            }
        }
        // Separate buckets would pass all twelve (six on each). One shared bucket passes six, plus the tenth of a token a
        // second it refills while a slow machine sends the rest.
        #expect(statuses.prefix(6).allSatisfy { $0 == .ok }, "\(statuses)")
        #expect(statuses.filter { $0 == .ok }.count < 12 && statuses.contains(.tooManyRequests), "one budget for both instances: \(statuses)")
    }

    @Test("a key revoked on one instance is refused on the other, which had it cached",
          .enabled(if: LiveStoreEngine.redisURL != nil, "PLAYTEST_TEST_REDIS_URL is not set"))
    func revocationReachesEveryInstance() async throws {
        try await Self.withTwoInstances(testAccess) { one, two, key, services in
            for _ in 0..<2 {
                try await two.testing().test(.GET, "api/v1/runs", headers: ["X-API-Key": key]) { #expect($0.status == .ok) }
            }
            let id = try #require(try await services.accounts.keys(everyone: true, by: .local).apiKeys.first?.id)
            try await services.accounts.revokeKey(id: id, by: .local, ip: nil)
            try await one.testing().test(.GET, "api/v1/runs", headers: ["X-API-Key": key]) { #expect($0.status == .unauthorized) }
            // Well inside the cache's 30 s lifetime: the refusal comes from the change announced over Redis, not from expiry.
            try await Deadline.wait("the other instance to refuse the revoked key", within: .seconds(10)) {
                var status = HTTPStatus.ok
                try await two.testing().test(.GET, "api/v1/runs", headers: ["X-API-Key": key]) { status = $0.status }
                return status == .unauthorized
            }
        }
    }
}

@Suite("Accounts administration", .serialized)
struct AccountsAdministrationTests {
    @Test("deleting a user hands their maps and runs to another user, or deletes them, and the audit log says which")
    func deleteUser() async throws {
        guard let vizdoom = testVizdoomDirectory else { return }
        try await withPlaytestApp(signedInAs: nil) { app, engines in
            let services = testServices(engines)
            let admin = try await testKey(services, role: .admin)
            let accounts = services.accounts
            func user(_ name: String) async throws -> UserView {
                try await accounts.createUser(email: "\(name)@example.com", password: "password-\(name)", fullName: nil, role: .user, by: .local, ip: nil)
            }
            let (leaving, heir, other) = (try await user("leaving"), try await user("heir"), try await user("other"))
            var mapIDs: [String] = []
            for (owner, name) in [(leaving, "basic"), (other, "defend_the_center")] {
                mapIDs.append(try await services.maps.importWAD(fileAt: vizdoom + "/scenarios/\(name).wad", createdBy: owner.id).map.id)
            }
            let headers: HTTPHeaders = ["X-API-Key": admin, "X-Anonymous": "1"]
            try await app.testing().test(.DELETE, "api/v1/users/\(leaving.id)?work=reassign&to=\(heir.id)", headers: headers) {
                #expect($0.status == .noContent)
            }
            #expect(try await services.maps.map(id: mapIDs[0]).createdBy == heir.id, "the map went to the heir")
            try await app.testing().test(.DELETE, "api/v1/users/\(other.id)", headers: headers) { #expect($0.status == .noContent) }
            await #expect(throws: MapLibraryError.self, "the deleted user's map went with them") { try await services.maps.map(id: mapIDs[1]) }
            let audit = try await accounts.auditLog(limit: 10, by: .local).entries.filter { $0.action == "user.delete" }
            #expect(audit.count == 2)
            #expect(audit.contains { $0.detail.contains("reassigned to heir@example.com") } && audit.contains { $0.detail.contains("deleted 1 maps") })
            // The deleted users' addresses left the log (their creation, their deletion): only the pseudonyms remain.
            let entries = try await accounts.auditLog(limit: 50, by: .local).entries
            #expect(!entries.contains { [$0.actorEmail, $0.target, $0.detail].contains { $0?.contains("leaving@") == true || $0?.contains("other@") == true } })
            #expect(Set(audit.compactMap(\.target)) == ["deleted user \(leaving.id)", "deleted user \(other.id)"])
            #expect(entries.contains { $0.target == "heir@example.com" }, "the living keep their entries as they are")
            try await app.testing().test(.DELETE, "api/v1/users/\(heir.id)?work=sideways", headers: headers) { #expect($0.status == .badRequest) }
        }
    }

    @Test("/metrics asks for PLAYTEST_METRICS_TOKEN when it is set; health shows engine details to admins only")
    func metricsAndHealth() async throws {
        var settings = testAccess
        settings.metricsToken = "scrape-me-please"
        try await withPlaytestApp(access: settings, signedInAs: nil) { app, engines in
            try await app.testing().test(.GET, "metrics") { #expect($0.status == .unauthorized) }
            try await app.testing().test(.GET, "metrics", headers: ["Authorization": "Bearer wrong"]) { #expect($0.status == .unauthorized) }
            try await app.testing().test(.GET, "metrics", headers: ["Authorization": "Bearer scrape-me-please"]) { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "api/v1/health") {
                #expect($0.status == .ok && !$0.body.string.contains("engines") && !$0.body.string.contains("agent_runtime"))
            }
            let admin = try await testKey(testServices(engines), role: .admin)
            try await app.testing().test(.GET, "api/v1/health", headers: ["X-API-Key": admin]) {
                #expect($0.body.string.contains("\"engines\"") && $0.body.string.contains("agent_runtime"))
            }
        }
    }
}

@Suite("CORS", .serialized)
struct CORSTests {
    static let front = "https://play.example.com"

    @Test("none by default: a preflight gets no CORS headers, and the API answers as it would without Origin")
    func closedByDefault() async throws {
        try await withPlaytestApp(signedInAs: nil) { app, _ in
            let preflight: HTTPHeaders = ["Origin": Self.front, "Access-Control-Request-Method": "POST"]
            try await app.testing().test(.OPTIONS, "api/v1/maps", headers: preflight) {
                #expect($0.headers.first(name: .accessControlAllowOrigin) == nil)
            }
            try await app.testing().test(.GET, "api/v1/health", headers: ["Origin": Self.front]) {
                #expect($0.status == .ok && $0.headers.first(name: .accessControlAllowOrigin) == nil)
            }
        }
    }

    @Test("a configured origin's preflight and requests are allowed with credentials; another origin's preflight is refused")
    func configuredOrigins() async throws {
        var settings = testAccess
        settings.corsOrigins = [Self.front]
        try await withPlaytestApp(access: settings, signedInAs: nil) { app, _ in
            let preflight: HTTPHeaders = ["Origin": Self.front, "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "authorization, content-type"]
            try await app.testing().test(.OPTIONS, "api/v1/maps", headers: preflight) { response in
                #expect(response.status == .noContent)
                #expect(response.headers.first(name: .accessControlAllowOrigin) == Self.front)
                #expect(response.headers.first(name: .accessControlAllowCredentials) == "true")
                #expect(response.headers.first(name: .accessControlAllowMethods)?.contains("POST") == true)
                #expect(response.headers.first(name: .accessControlAllowHeaders)?.contains("Authorization") == true)
                #expect(response.headers[.vary].contains("Origin"))
            }
            // An error answer is readable by the allowed page too.
            try await app.testing().test(.GET, "api/v1/maps", headers: ["Origin": Self.front]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .accessControlAllowOrigin) == Self.front)
                #expect(response.headers.first(name: .accessControlExpose)?.contains("Retry-After") == true)
            }
            let other: HTTPHeaders = ["Origin": "https://evil.example.net", "Access-Control-Request-Method": "DELETE"]
            try await app.testing().test(.OPTIONS, "api/v1/maps", headers: other) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("PLAYTEST_CORS_ORIGINS"))
                #expect(response.headers.first(name: .accessControlAllowOrigin) == nil)
            }
            try await app.testing().test(.GET, "api/v1/health", headers: ["Origin": "https://evil.example.net"]) { response in
                #expect(response.status == .ok, "the request itself is answered; the browser keeps the page from reading it")
                #expect(response.headers.first(name: .accessControlAllowOrigin) == nil)
            }
        }
    }
}

@Suite("Sign-up", .serialized)
struct SignUpTests {
    @Test("sign-up is closed by default; with PLAYTEST_OPEN_SIGNUP it makes users, never admins, once per address")
    func register() async throws {
        let body: [String: Any] = ["email": "New@Example.com", "password": "new-password"]
        try await withPlaytestApp(signedInAs: nil) { app, _ in
            let closed = try await AccountsAPITests.post(app, "api/v1/auth/register", body)
            #expect(closed.status == .forbidden)
        }
        var open = testAccess
        open.openSignup = true
        try await withPlaytestApp(access: open, signedInAs: nil) { app, _ in
            let created = try await AccountsAPITests.post(app, "api/v1/auth/register", body)
            #expect(created.status == .created && created.body.string.contains(#""role":"user""#) && created.body.string.contains("new@example.com"))
            #expect(try await AccountsAPITests.post(app, "api/v1/auth/register", ["email": "new@EXAMPLE.com", "password": "other-password"]).status == .conflict,
                    "addresses are unique regardless of case")
            #expect(try await AccountsAPITests.post(app, "api/v1/auth/register", ["email": "boss@example.com", "password": "boss-password", "role": "admin"]).status == .forbidden)
            #expect(try await AccountsAPITests.post(app, "api/v1/auth/register", ["email": "short@example.com", "password": "short"]).status == .unprocessableEntity)
            _ = try await AccountsAPITests.signIn(app, "NEW@example.com", "new-password")
        }
    }
}
