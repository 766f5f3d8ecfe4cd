import Foundation
import RedisClient
import Testing
@testable import PlaytestStorage

/// What the health check relies on: while Redis is down `ping()` says so, and once it is back the
/// same store works again without being re-created.
@Suite("RedisLiveStore across a redis-server restart", .enabled(if: OutageRedisServer.executable != nil,
    "redis-server is not on PATH (Debian package redis-server); outage test skipped"))
struct RedisLiveStoreOutageTests {
    @Test(.timeLimit(.minutes(1)))
    func pingFailsDuringAnOutageAndTheStoreRecovers() async throws {
        let server = try OutageRedisServer()
        try server.start()
        let store = try RedisLiveStore(url: "redis://127.0.0.1:\(server.port)/0?timeout=2s")
        defer { Task { await store.shutdown() } }
        try await store.ping()
        try await store.set("k", "v", ttl: nil)

        server.stop()
        var lastError: (any Error)?
        for _ in 0...2 {
            do { try await store.ping() } catch { lastError = error }
        }
        guard case .unavailable(let engine, let reason)? = lastError as? LiveStoreError else {
            Issue.record("expected LiveStoreError.unavailable, got \(String(describing: lastError))")
            return
        }
        #expect(engine == "redis")
        #expect(reason.contains("connection refused"))

        try server.start()
        try await store.ping()
        try await store.set("k", "again", ttl: nil)
        #expect(try await store.get("k") == "again")
    }
}

/// A private redis-server on a free port, for the outage test.
final class OutageRedisServer: @unchecked Sendable {
    static let executable: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { "\($0)/redis-server" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    let port: Int
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-live-redis-\(UUID().uuidString)")
    private var process: Process?

    init() throws {
        // Let the kernel pick a free port by binding to 0, then hand it to redis-server.
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
            }
        }
        try #require(found, "could not find a free port")
        port = Int(UInt16(bigEndian: address.sin_port))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func start() throws {
        let log = directory.appendingPathComponent("redis.log")
        try? FileManager.default.removeItem(at: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable ?? "redis-server")
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", directory.path, "--logfile", log.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, process.isRunning {
            if ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("Ready to accept connections") { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw LiveStoreError.unavailable(engine: "redis", reason: "test redis-server did not start")
    }

    /// SIGKILL: a child started from a test thread inherits its blocked signals and ignores SIGTERM.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }
}
