import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PlaytestServer
import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("Worker health and metrics", .serialized)
struct WorkerStatusServerTests {
    static func get(_ url: String, headers: [(String, String)] = []) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (response.status.code, String(buffer: body))
    }

    @Test("/health answers the worker's report (503 when unhealthy); /metrics has the engines' latencies, behind the token")
    func healthAndMetrics() async throws {
        let metrics = PlaytestMetrics.process  // swift-metrics now records into this registry, for the whole test process
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sql = try await SQLEngine.open(.sqlite(path: path), logger: TestDatabase.quietLogger())
        try await sql.migrate()
        _ = try await sql.sql.raw("SELECT 1 AS one").all()
        await sql.shutdown()

        let healthy = LockedFlag(true)
        let server = try await WorkerStatusServer(
            host: "127.0.0.1", port: 0, metrics: metrics, metricsToken: "scrape",
            health: { (healthy.value, Data(#"{"worker":"w1","ok":\#(healthy.value)}"#.utf8)) }, logger: TestDatabase.quietLogger())
        defer { Task { await server.shutdown() } }
        let base = "http://127.0.0.1:\(try #require(server.port))"

        let up = try await Self.get(base + "/health")
        #expect(up.status == 200 && up.body.contains(#""worker":"w1""#))
        healthy.value = false
        #expect(try await Self.get(base + "/health").status == 503)

        #expect(try await Self.get(base + "/metrics").status == 401)
        let scraped = try await Self.get(base + "/metrics", headers: [("Authorization", "Bearer scrape")])
        #expect(scraped.status == 200)
        #expect(scraped.body.contains(#"playtest_engine_duration_seconds_bucket{engine="sql",operation="select""#), "\(scraped.body.prefix(600))")
        #expect(scraped.body.contains(#"operation="insert""#) || scraped.body.contains(#"operation="other""#), "the migration's statements were timed too")
    }
}

/// A flag the test flips while the server reads it.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool
    init(_ value: Bool) { stored = value }
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
