import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PlaytestCore
@testable import PlaytestServer
import PlaytestServices
@testable import PlaytestStorage
import PlaytestTestSupport
import Testing
import Vapor
import VaporTesting

/// `/ws` over a real socket: subscribe, receive what a worker publishes through the LiveStore, throttling, and
/// bad client messages answered with error frames.
@Suite("Live WebSocket hub", .serialized, .enabled(if: testVizdoomDirectory != nil, "no vizdoom package in .venv"))
struct LiveHubTests {
    /// Collects a client's text frames and lets a test wait for one that matches.
    final class Inbox: Sendable {
        private let frames = NIOLockedValueBox<[String]>([])
        func append(_ text: String) {
            frames.withLockedValue { $0.append(text) }
        }
        var all: [[String: Any]] {
            frames.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        func types() -> [String] { all.compactMap { $0["type"] as? String } }

        func wait(for type: String, count: Int = 1, timeout: Duration = .seconds(10)) async throws -> [[String: Any]] {
            try await Deadline.value("\(count)× \(type) (got \(types()))", within: timeout) {
                let matching = all.filter { $0["type"] as? String == type }
                return matching.count >= count ? matching : nil
            }
        }
    }

    /// Starts the app on a free port, connects a WebSocket client to `path`, and runs `test`.
    func withClient(
        _ path: String, live: PlaytestConfiguration.Live = .memory,
        _ test: @escaping @Sendable (Application, PlaytestEngines, WebSocket, Inbox) async throws -> Void
    ) async throws {
        try await withPlaytestApp(live: live) { app, engines in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            do {
                try await connected(app, engines, path, test)
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    private func connected(
        _ app: Application, _ engines: PlaytestEngines, _ path: String,
        _ test: @escaping @Sendable (Application, PlaytestEngines, WebSocket, Inbox) async throws -> Void
    ) async throws {
        let port = try #require(app.http.server.shared.localAddress?.port)
        let inbox = Inbox()
        let socket = NIOLockedValueBox<WebSocket?>(nil)
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        let client = WebSocketClient(
            eventLoopGroupProvider: .shared(app.eventLoopGroup), configuration: .init(maxFrameSize: 1 << 20))
        try await client.connect(scheme: "ws", host: "127.0.0.1", port: port, path: parts[0], query: parts.count > 1 ? parts[1] : nil) { ws in
            ws.onText { _, text in inbox.append(text) }
            socket.withLockedValue { $0 = ws }
        }.get()
        let ws = try await Deadline.value("the WebSocket to open") { socket.withLockedValue { $0 } }
        do {
            try await test(app, engines, ws, inbox)
        } catch {
            try? await ws.close()
            throw error
        }
        try? await ws.close()
    }

    static func pendingRun(_ engines: PlaytestEngines) async throws -> String {
        let mapID = try await importScenario(engines)
        return try await testServices(engines).launcher.startTest(TestRunRequest(mapID: mapID, agent: "random", episodes: 5)).id
    }

    static func progress(_ runID: String, episode: Int, completed: Int, kills: Int) -> RunLiveMessage {
        .testingProgress(TestingProgress(
            testID: runID, episode: episode, kills: kills, health: 100, timestamp: Date(), totalEpisodes: 5,
            episodesCompleted: completed, progressPercent: Double(completed) * 20, steps: kills))
    }

    @Test("?run_id= subscribes; published progress and completion arrive in order, progress throttled")
    func subscribeByQuery() async throws {
        try await withClient("/ws") { _, engines, ws, inbox in
            let runID = try await Self.pendingRun(engines)
            try await ws.send(#"{"type":"subscribe","run_id":"\#(runID)"}"#)
            let subscribed = try await inbox.wait(for: "subscribed")
            #expect(subscribed.first?["run_id"] as? String == runID && subscribed.first?["status"] as? String == "pending")

            let live = RunLiveState(live: engines.live)
            for kills in 1...30 { try await live.publish(runID: runID, Self.progress(runID, episode: 1, completed: 0, kills: kills)) }
            try await live.publish(runID: runID, .testingCompleted(TestingCompleted(
                testID: runID, episodesCompleted: 5, totalKills: 30, meanKills: 6, timestamp: Date())))
            _ = try await inbox.wait(for: "testing_completed")
            let progress = inbox.all.filter { $0["type"] as? String == "testing_progress" }
            #expect(progress.count >= 1 && progress.count <= 3, "30 progress messages in a burst are coalesced, got \(progress.count)")
            #expect(progress.last?["kills"] as? Int == 30, "the newest progress is the one delivered")
            let types = inbox.types()
            #expect(types.lastIndex(of: "testing_progress")! < types.firstIndex(of: "testing_completed")!)
        }
    }

    @Test("bad client messages get error frames and the connection keeps working")
    func badMessages() async throws {
        try await withClient("/ws?run_id=test_doesnotexist") { _, engines, ws, inbox in
            let errors = try await inbox.wait(for: "error")
            #expect((errors.first?["message"] as? String)?.contains("no run") == true)
            try await ws.send("not json")
            try await ws.send(#"{"type":"launch"}"#)
            try await ws.send(#"{"type":"subscribe"}"#)
            _ = try await inbox.wait(for: "error", count: 4)
            try await ws.send(#"{"type":"ping"}"#)
            _ = try await inbox.wait(for: "pong")
            let runID = try await Self.pendingRun(engines)
            try await ws.send(#"{"type":"subscribe","run_id":"\#(runID)"}"#)
            _ = try await inbox.wait(for: "subscribed")
        }
    }

    @Test("a message sent the moment the socket opens is answered (30 connections, each pings at once)")
    func messagesRightAfterTheHandshake() async throws {
        try await withClient("/ws") { app, _, _, _ in
            let port = try #require(app.http.server.shared.localAddress?.port)
            let client = WebSocketClient(eventLoopGroupProvider: .shared(app.eventLoopGroup), configuration: .init(maxFrameSize: 1 << 20))
            let pongs = NIOLockedValueBox(0)
            let sockets = NIOLockedValueBox<[WebSocket]>([])
            for _ in 0..<30 {
                try await client.connect(scheme: "ws", host: "127.0.0.1", port: port, path: "/ws") { ws in
                    ws.onText { _, text in if text.contains("pong") { pongs.withLockedValue { $0 += 1 } } }
                    ws.send(#"{"type":"ping"}"#)
                    sockets.withLockedValue { $0.append(ws) }
                }.get()
            }
            try await Deadline.wait("a pong on each of 30 connections") { pongs.withLockedValue { $0 } == 30 }
            for ws in sockets.withLockedValue({ $0 }) { try? await ws.close() }
        }
    }

    @Test("the 101 of the upgrade carries the request's id, the one nginx sent when it sent one")
    func upgradeCarriesRequestID() async throws {
        try await withClient("/ws") { app, _, _, _ in
            let port = try #require(app.http.server.shared.localAddress?.port)
            let head = try Self.upgradeHead(port: port, extraHeaders: "X-Request-Id: edge-1234abcd\r\n")
            #expect(head.hasPrefix("HTTP/1.1 101"), "\(head)")
            #expect(head.lowercased().contains("x-request-id: edge-1234abcd"), "\(head)")
        }
    }

    /// Sends a WebSocket upgrade request on a plain socket and returns the response's head.
    static func upgradeHead(port: Int, extraHeaders: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "connect to 127.0.0.1:\(port)")
        let request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("a subscriber to * gets every run's status changes")
    func allRuns() async throws {
        try await withClient("/ws?run_id=*") { _, engines, _, inbox in
            _ = try await inbox.wait(for: "subscribed")
            let runID = try await Self.pendingRun(engines)
            let statuses = try await inbox.wait(for: "run_status")
            #expect(statuses.first?["run_id"] as? String == runID && statuses.first?["status"] as? String == "pending")
        }
    }

    @Test("a message a worker elsewhere publishes through Redis reaches a client of this serve instance",
          .enabled(if: RedisServer.isAvailable, "redis-server is not installed"))
    func fanOutThroughRedis() async throws {
        let redis = try await RedisServer.started()
        defer { redis.kill() }
        try await withClient("/ws", live: .redis(url: redis.url)) { _, engines, ws, inbox in
            let runID = try await Self.pendingRun(engines)
            try await ws.send(#"{"type":"subscribe","run_id":"\#(runID)"}"#)
            _ = try await inbox.wait(for: "subscribed")
            // Another process's view of the same Redis: its own connections, the same channel names.
            let elsewhere = try RedisLiveStore(url: redis.url)
            try await RunLiveState(live: elsewhere).publish(runID: runID, .runFailed(runID: runID, error: "agent crashed", timestamp: Date()))
            let failed = try await inbox.wait(for: "run_failed")
            #expect(failed.first?["error"] as? String == "agent crashed")
            await elsewhere.shutdown()
        }
    }

    @Test("a client that stops reading does not hold up another client of the same run")
    func slowClient() async throws {
        try await withClient("/ws") { app, engines, ws, inbox in
            let runID = try await Self.pendingRun(engines)
            let port = try #require(app.http.server.shared.localAddress?.port)
            // The stuck client: upgrades to a WebSocket, then never reads a byte.
            let stuck = try await ClientBootstrap(group: app.eventLoopGroup)
                .channelOption(.autoRead, value: false)
                .channelOption(.socketOption(.so_rcvbuf), value: 4096)
                .connect(host: "127.0.0.1", port: port).get()
            try await stuck.writeAndFlush(ByteBuffer(string:
                "GET /ws?run_id=\(runID) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")).get()
            try await ws.send(#"{"type":"subscribe","run_id":"\#(runID)"}"#)
            _ = try await inbox.wait(for: "subscribed")
            // Both clients subscribed: a message on the run's channel reaches two receivers (this one is not a live
            // message, so the hub drops it).
            try await Deadline.wait("the stuck client's subscription") {
                try await engines.live.publish(RunLiveState.channel(runID: runID), "{}") >= 2
            }

            // 24 MB of messages: far more than the stuck client's socket buffers hold.
            let live = RunLiveState(live: engines.live)
            let filler = String(repeating: "x", count: 64 * 1024)
            for index in 0..<384 {
                try await live.publish(runID: runID, .runFailed(runID: runID, error: "\(index) \(filler)", timestamp: Date()))
                if index % 16 == 15 { try await Task.sleep(for: .milliseconds(5)) }
            }
            let received = try await inbox.wait(for: "run_failed", count: 384, timeout: .seconds(60))
            #expect(received.count == 384, "the reading client gets every message while the other is stuck")
            try await stuck.close().get()
        }
    }
}
